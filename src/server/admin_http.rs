//! Admin answers that are files, not server functions: an event's registrations as CSV.
use super::AppState;
use crate::domain::Lang;
use crate::error::AppError;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

#[derive(serde::Deserialize)]
pub struct CsvQuery {
    #[serde(default)]
    lang: Option<String>,
}

/// `GET /api/admin/events/{slug}/registrations.csv?lang=bg`: for the accounts that see the
/// event's registrations (401 signed out, 403 another organiser's event); never cached.
pub async fn registrations_csv(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    Query(query): Query<CsvQuery>,
    headers: HeaderMap,
) -> Response {
    let lang = query.lang.and_then(|l| l.parse::<Lang>().ok()).unwrap_or_default();
    let file = async {
        let (_, event) = crate::admin::service::event_for_door(&state, &headers, lang, &slug).await?;
        let registrations = state.store.door_list(event.id).await?;
        Ok(private_file(
            crate::admin::service::door_csv(&registrations, lang),
            "text/csv; charset=utf-8",
            &format!("{}-registrations.csv", event.slug),
        ))
    };
    file.await.unwrap_or_else(refused)
}

/// A file for the signed-in account only: downloaded, never kept by a cache.
fn private_file(body: Vec<u8>, content_type: &'static str, name: &str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    if let Ok(disposition) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, disposition);
    }
    response
}

/// The answer to a refused or failed request for a file: its status, nothing kept.
fn refused(error: AppError) -> Response {
    let status = StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, [(header::CACHE_CONTROL, "private, no-store")]).into_response()
}

#[derive(serde::Deserialize)]
pub struct ExportForm {
    #[serde(default)]
    email: String,
}

/// `POST /api/admin/privacy/export` (form field `email`): everything held for the address as
/// a JSON file, for admins (a POST, so the address stays out of URLs and histories).
pub async fn personal_data_export(
    State(state): State<AppState>,
    headers: HeaderMap,
    axum::Form(form): axum::Form<ExportForm>,
) -> Response {
    use crate::admin::model::Role;
    let file = async {
        let account = super::auth::require(&state, &headers, &[Role::Admin]).await?;
        let email = crate::admin::service::subject_address(&form.email)?;
        let data = state.store.personal_data(&email).await?;
        tracing::info!(account = account.id, "exported a person's data on request");
        Ok(private_file(
            serde_json::to_vec_pretty(&data).unwrap_or_default(),
            "application/json; charset=utf-8",
            "personal-data.json",
        ))
    };
    file.await.unwrap_or_else(refused)
}

/// The body of a request from a writer, read only once the session says so (a stranger's
/// upload is refused before a byte of it is held in memory), up to `limit` bytes (413 beyond).
async fn writers_body(
    state: &AppState,
    request: axum::extract::Request,
    limit: usize,
) -> Result<(crate::server::store::AccountRecord, axum::body::Bytes), Response> {
    let (parts, body) = request.into_parts();
    let account = super::auth::require(state, &parts.headers, crate::admin::posts::service::WRITERS)
        .await
        .map_err(refused)?;
    let bytes = axum::body::to_bytes(body, limit).await.map_err(|_| {
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            [(header::CACHE_CONTROL, "private, no-store")],
        )
            .into_response()
    })?;
    Ok((account, bytes))
}

/// The answer to a picture that was refused: 413 too large, 415 not a picture.
fn refused_picture(rejection: super::images::ImageRejection) -> Response {
    use super::images::ImageRejection;
    let status = match rejection {
        ImageRejection::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ImageRejection::UnsupportedType | ImageRejection::Unreadable => StatusCode::UNSUPPORTED_MEDIA_TYPE,
    };
    (status, [(header::CACHE_CONTROL, "private, no-store")]).into_response()
}

/// `body` converted to `widths` and its files stored: the image's record, not yet in the
/// store; or the refusal's answer.
async fn stored_picture(
    state: &AppState,
    body: axum::body::Bytes,
    widths: &'static [u32],
) -> Result<Result<crate::server::store::ImageRecord, Response>, AppError> {
    let processed = match super::images::convert(body, widths).await {
        Ok(processed) => processed,
        Err(rejection) => return Ok(Err(refused_picture(rejection))),
    };
    let image = super::images::put_files(state.images.as_ref(), processed)
        .await
        .map_err(|error| {
            tracing::error!(%error, "image not stored");
            AppError::Internal
        })?;
    Ok(Ok(image))
}

/// `data` as JSON for the signed-in account only.
fn private_json(data: impl serde::Serialize) -> Response {
    let mut response = axum::Json(data).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    response
}

/// `POST /api/admin/images` (the picture's bytes as the body): for writers. Answers the
/// stored image (`UploadedImage`) or the refusal's status (413 too large, 415 not a picture).
pub async fn upload_image(State(state): State<AppState>, request: axum::extract::Request) -> Response {
    let (account, body) = match writers_body(&state, request, super::images::MAX_UPLOAD_BYTES).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    let upload = async {
        let record = match stored_picture(&state, body, super::images::PHOTO_WIDTHS).await? {
            Ok(record) => record,
            Err(refusal) => return Ok(refusal),
        };
        let actor = crate::server::store::Actor::account(&account);
        let id = state.store.insert_image(&record, super::time::now(), &actor).await?;
        tracing::info!(account = account.id, image = id, "image uploaded");
        let thumbnail = record.widths.first().copied().unwrap_or(record.width);
        Ok(private_json(crate::admin::posts::model::UploadedImage {
            id,
            src: format!("/media/{}-{thumbnail}.jpg", record.key),
            width: record.width,
            height: record.height,
        }))
    };
    upload.await.unwrap_or_else(refused)
}

/// `POST /api/admin/ngos/{slug}/logo` (the picture as the body): for admins. The picture,
/// stored at logo widths, becomes the NGO's logo (audited as `ngo.logo`) and every page
/// shows it at once. Answers the logo (`admin::ngos::NgoLogo`), 404 for no such NGO, or
/// the picture's refusal (413, 415).
pub async fn upload_ngo_logo(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    request: axum::extract::Request,
) -> Response {
    use crate::admin::model::Role;
    let (parts, body) = request.into_parts();
    let upload = async {
        let account = super::auth::require(&state, &parts.headers, &[Role::Admin]).await?;
        let slug: crate::domain::Slug = slug.parse().map_err(|_| AppError::NotFound)?;
        // Known before the picture is read and converted: nothing is stored for no NGO.
        state.store.ngo(&slug).await?.ok_or(AppError::NotFound)?;
        let Ok(body) = axum::body::to_bytes(body, super::images::MAX_UPLOAD_BYTES).await else {
            return Ok(refused_picture(super::images::ImageRejection::TooLarge));
        };
        let record = match stored_picture(&state, body, super::images::LOGO_WIDTHS).await? {
            Ok(record) => record,
            Err(refusal) => return Ok(refusal),
        };
        let actor = crate::server::store::Actor::account(&account);
        let changed = state
            .store
            .set_ngo_logo(&slug, Some(&record), &actor, super::time::now())
            .await;
        let Ok(Some(change)) = changed else {
            // Not stored (the NGO went meanwhile, or the store failed): nor are its files kept.
            super::images::delete_files(state.images.as_ref(), &record.key, &record.widths).await;
            return Err(changed.err().map_or(AppError::NotFound, AppError::from));
        };
        forget_logo(&state, change).await;
        tracing::info!(account = account.id, ngo = %slug, "NGO logo changed");
        let logo = crate::domain::Cover::uploaded(&record.key, record.width, record.height, &record.widths, "");
        Ok(private_json(crate::admin::ngos::NgoLogo { logo: Some(logo) }))
    };
    upload.await.unwrap_or_else(refused)
}

/// After a logo changed: every page shows the NGO as it now is, and the picture it replaced,
/// shown nowhere any more, is no longer served either.
async fn forget_logo(state: &AppState, change: crate::server::store::LogoChange) {
    state.page_cache.invalidate_content();
    if let Some((key, widths)) = change.forgotten {
        super::images::delete_files(state.images.as_ref(), &key, &widths).await;
    }
}

/// `DELETE /api/admin/ngos/{slug}/logo`: for admins. The NGO has no logo any more (its pages
/// show its initials); audited as `ngo.logo`.
pub async fn remove_ngo_logo(State(state): State<AppState>, Path(slug): Path<String>, headers: HeaderMap) -> Response {
    use crate::admin::model::Role;
    let removal = async {
        let account = super::auth::require(&state, &headers, &[Role::Admin]).await?;
        let slug: crate::domain::Slug = slug.parse().map_err(|_| AppError::NotFound)?;
        let actor = crate::server::store::Actor::account(&account);
        let change = state
            .store
            .set_ngo_logo(&slug, None, &actor, super::time::now())
            .await?
            .ok_or(AppError::NotFound)?;
        forget_logo(&state, change).await;
        tracing::info!(account = account.id, ngo = %slug, "NGO logo removed");
        Ok(private_json(crate::admin::ngos::NgoLogo { logo: None }))
    };
    removal.await.unwrap_or_else(refused)
}

/// `GET /media/{key}-{width}.jpg`: an uploaded image. Its name never changes meaning (a new
/// upload gets a new key), so browsers and caches keep it for a year.
pub async fn media(State(state): State<AppState>, Path(name): Path<String>) -> Response {
    if !super::images::is_image_file_name(&name) {
        return StatusCode::NOT_FOUND.into_response();
    }
    match state.images.get(&name).await {
        Ok(Some(bytes)) => (
            [
                (header::CONTENT_TYPE, "image/jpeg"),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "image not read");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// `POST /api/admin/import` (a WordPress export as the body): for writers. Starts the import in
/// the background and answers the job to poll (`import_status`); the page cache is emptied
/// when it ends.
pub async fn import_wordpress(State(state): State<AppState>, request: axum::extract::Request) -> Response {
    use crate::admin::import::{ImportStarted, ImportStatus};
    let (account, body) = match writers_body(&state, request, super::MAX_IMPORT_BYTES).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    let started = async {
        // One import at a time per account, two in all: each holds its file and its posts.
        let job = state.imports.start(account.id).ok_or(AppError::RateLimited)?;
        let task_state = state.clone();
        let task_job = job.clone();
        tokio::spawn(async move {
            let state = task_state;
            let actor = crate::server::store::Actor::account(&account);
            let importer = super::wordpress::Importer {
                store: state.store.as_ref(),
                images: state.images.as_ref(),
                uploads: state.config.wp_uploads_dir.as_deref(),
                actor: &actor,
                now: super::time::now(),
            };
            let progress = |report: &crate::admin::import::ImportReport| {
                state.imports.update(
                    &task_job,
                    ImportStatus {
                        report: report.clone(),
                        ..ImportStatus::default()
                    },
                );
            };
            let finished = match importer.import(&body, &progress).await {
                Ok(report) => {
                    tracing::info!(
                        account = account.id,
                        created = report.created,
                        updated = report.updated,
                        skipped = report.skipped.len(),
                        "WordPress import finished"
                    );
                    ImportStatus {
                        report,
                        finished: true,
                        not_wxr: false,
                    }
                }
                Err(error) => {
                    tracing::info!(%error, "WordPress import refused the file");
                    ImportStatus {
                        finished: true,
                        not_wxr: true,
                        ..ImportStatus::default()
                    }
                }
            };
            state.page_cache.invalidate_content();
            state.imports.update(&task_job, finished);
        });
        Ok(private_json(ImportStarted { job }))
    };
    started.await.unwrap_or_else(refused)
}

/// The rows an import of the directory's CSV refused (then nothing was stored).
#[derive(serde::Serialize)]
pub struct NgoImportRefused {
    pub rejected: Vec<super::ngo_csv::RowProblem>,
}

/// `POST /api/admin/ngos/import` (the CSV file as the body): for admins. Every row is checked
/// first; with any refused, nothing is stored and the answer (422) lists them all. Otherwise
/// the rows are stored in the background, all or none, and the answer names the job whose
/// progress the page polls (`admin::ngos` `ngo_import_status`).
pub async fn import_ngos(State(state): State<AppState>, request: axum::extract::Request) -> Response {
    use crate::admin::model::Role;
    let (parts, body) = request.into_parts();
    let import = async {
        let account = super::auth::require(&state, &parts.headers, &[Role::Admin]).await?;
        // One import at a time per account, two in all, from before the file is read: each
        // holds its file and rows in memory. The job ends with this request unless it is
        // handed to the task that stores the rows.
        let job = state.ngo_imports.start(account.id).ok_or(AppError::RateLimited)?;
        let job = super::jobs::JobEnd::new(state.ngo_imports.clone(), job);
        let Ok(bytes) = axum::body::to_bytes(body, super::MAX_IMPORT_BYTES).await else {
            return Ok((
                StatusCode::PAYLOAD_TOO_LARGE,
                [(header::CACHE_CONTROL, "private, no-store")],
            )
                .into_response());
        };
        let this_year = u16::try_from(super::time::sofia_date(super::time::now()).year).unwrap_or(u16::MAX);
        // Checking a hundred thousand rows is a while of CPU: not on the threads that answer.
        let checked = tokio::task::spawn_blocking(move || super::ngo_csv::read(&bytes, this_year))
            .await
            .map_err(|error| {
                tracing::error!(%error, "NGO CSV check stopped");
                AppError::Internal
            })?;
        let records = match checked {
            Ok(records) => records,
            Err(rejected) => {
                return Ok((
                    StatusCode::UNPROCESSABLE_ENTITY,
                    [(header::CACHE_CONTROL, "private, no-store")],
                    axum::Json(NgoImportRefused { rejected }),
                )
                    .into_response());
            }
        };
        job.update(crate::admin::ngos::NgoImportProgress {
            rows: records.len() as u64,
            ..Default::default()
        });
        let id = job.id.clone();
        tokio::spawn(store_ngos(state.clone(), job, account, records));
        Ok(private_json(crate::admin::import::ImportStarted { job: id }))
    };
    import.await.unwrap_or_else(refused)
}

/// Stores the checked rows of an import, telling its job how far it is.
async fn store_ngos(
    state: AppState,
    job: super::jobs::JobEnd<crate::admin::ngos::NgoImportProgress>,
    account: crate::server::store::AccountRecord,
    records: Vec<crate::server::store::NgoRecord>,
) {
    use crate::admin::ngos::NgoImportProgress;
    let rows = records.len() as u64;
    let actor = crate::server::store::Actor::account(&account);
    let progress = |stored: u64| {
        let current = NgoImportProgress {
            rows,
            stored,
            ..Default::default()
        };
        job.update(current);
    };
    let stored = state
        .store
        .import_ngos(&records, &actor, super::time::now(), &progress)
        .await;
    let finished = match stored {
        Ok((created, updated)) => {
            state.page_cache.invalidate_content();
            tracing::info!(account = account.id, created, updated, "imported NGOs");
            NgoImportProgress {
                rows,
                stored: rows,
                created,
                updated,
                finished: true,
                failed: false,
            }
        }
        Err(error) => {
            // The transaction is rolled back: nothing of the file is stored.
            tracing::error!(%error, account = account.id, "NGO import failed");
            NgoImportProgress {
                rows,
                finished: true,
                failed: true,
                ..Default::default()
            }
        }
    };
    job.update(finished);
}

/// `GET /api/admin/ngos/export.csv`: the whole directory as the import reads it, for admins.
pub async fn export_ngos(State(state): State<AppState>, headers: HeaderMap) -> Response {
    use crate::admin::model::Role;
    let file = async {
        super::auth::require(&state, &headers, &[Role::Admin]).await?;
        let ngos = state.store.all_ngos().await?;
        let csv = super::ngo_csv::write(&ngos).map_err(|error| {
            tracing::error!(%error, "directory CSV not written");
            AppError::Internal
        })?;
        Ok(private_file(csv, "text/csv; charset=utf-8", "ngos.csv"))
    };
    file.await.unwrap_or_else(refused)
}
