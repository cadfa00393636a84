//! An NGO's logo in the admin (`/{lang}/admin/ngos/{slug}`, admins): the one it has, or its
//! initials; choose a picture to replace it, or remove it. The server converts the picture to
//! the logo's sizes and every public page shows it at once.
use super::api;
use super::model::AdminNgoData;
use crate::i18n::*;
use crate::locale::href;
use crate::ngos::NgoMark;
use crate::site::{PageMeta, loaded, private_data, private_page, use_lang};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn NgoLogoPage() -> impl IntoView {
    private_page();
    let lang = use_lang();
    let params = use_params_map();
    let ngo = private_data(
        move || params.with(|p| p.get("slug").unwrap_or_default()),
        move |slug| api::admin_ngo(lang, slug),
    );
    view! { {loaded(ngo, |ngo| view! { <LogoEditor ngo /> })} }
}

/// What the page shows of a change under way.
#[derive(Clone, Copy)]
struct LogoState {
    logo: RwSignal<Option<crate::domain::Cover>>,
    busy: RwSignal<bool>,
    problem: RwSignal<Option<String>>,
    done: RwSignal<Option<&'static str>>,
}

#[component]
fn LogoEditor(ngo: AdminNgoData) -> impl IntoView {
    let locale = crate::site::page_locale();
    let lang = use_lang();
    let AdminNgoData { slug, name, logo } = ngo;
    let state = LogoState {
        logo: RwSignal::new(logo),
        busy: RwSignal::new(false),
        problem: RwSignal::new(None),
        done: RwSignal::new(None),
    };
    let address = StoredValue::new(format!("/api/admin/ngos/{slug}/logo"));
    let on_change = move |ev: leptos::ev::Event| choose(ev, address.get_value(), state, locale);
    let on_remove = move |_| remove(address.get_value(), state, locale);
    let mark = {
        let (name, slug) = (name.clone(), slug.clone());
        move || view! { <NgoMark name=name.clone() slug=slug.clone() logo=state.logo.get() size=96 /> }
    };
    view! {
        <PageMeta title=name.clone() description=String::new() path=None />
        <section class="admin-page ngo-logo">
            <p class="admin-page__back"><a href=href(lang, "admin/ngos")>{td_string!(locale, admin_ngos_title)}</a></p>
            <h1>{name}</h1>
            <p><a href=href(lang, &format!("ngos/{slug}")) data-testid="ngo-public">{td_string!(locale, admin_ngo_public)}</a></p>
            <h2>{td_string!(locale, admin_ngo_logo)}</h2>
            <div class="ngo-logo__current" data-testid="admin-logo">
                {mark}
                <p>{move || state.logo.with(Option::is_none).then(|| td_string!(locale, admin_ngo_logo_none))}</p>
            </div>
            <noscript><p class="notice">{td_string!(locale, admin_ngo_logo_needs_javascript)}</p></noscript>
            <div class="field" class:field--invalid=move || state.problem.with(Option::is_some)>
                <label for="logo-file">{td_string!(locale, admin_ngo_logo_choose)}</label>
                <p class="field-hint" id="logo-hint">{td_string!(locale, admin_ngo_logo_hint)}</p>
                <input id="logo-file" type="file" accept="image/jpeg,image/png,image/webp" on:change=on_change
                    disabled=move || state.busy.get() aria-describedby="logo-hint logo-problem" data-testid="logo-file" />
                <p class="field-error" id="logo-problem" data-testid="logo-problem">{move || state.problem.get()}</p>
            </div>
            <p class="form-message" role="status">{move || state.busy.get().then(|| td_string!(locale, admin_ngo_logo_uploading))}</p>
            <p class="form-done" role="status" data-testid="logo-done">{move || state.done.get()}</p>
            {move || state.logo.with(Option::is_some).then(|| view! {
                <button type="button" class="button button--ghost" on:click=on_remove
                    disabled=move || state.busy.get() data-testid="logo-remove">
                    {td_string!(locale, admin_ngo_logo_remove)}
                </button>
            })}
        </section>
    }
}

/// Sends the chosen picture as it is; the server reads, checks and converts it.
fn choose(ev: leptos::ev::Event, address: String, state: LogoState, locale: Locale) {
    #[cfg(feature = "hydrate")]
    {
        let Some(file) = crate::admin::upload::chosen_file(&ev) else {
            return;
        };
        state.start();
        leptos::task::spawn_local(async move {
            let content_type = file.type_();
            let sent = crate::admin::upload::post_file(&address, file, &content_type).await;
            state
                .finish(sent, td_string!(locale, admin_ngo_logo_saved), locale)
                .await;
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (ev, address, state, locale);
}

/// Asks the server to forget the logo.
fn remove(address: String, state: LogoState, locale: Locale) {
    #[cfg(feature = "hydrate")]
    {
        state.start();
        leptos::task::spawn_local(async move {
            let sent = gloo_net::http::Request::delete(&address).send().await.ok();
            state
                .finish(sent, td_string!(locale, admin_ngo_logo_removed), locale)
                .await;
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (address, state, locale);
}

impl LogoState {
    #[cfg(feature = "hydrate")]
    fn start(self) {
        self.busy.set(true);
        self.problem.set(None);
        self.done.set(None);
    }

    /// Shows the server's answer: the logo as it now is, or why not in the admin's language.
    #[cfg(feature = "hydrate")]
    async fn finish(self, sent: Option<gloo_net::http::Response>, done: &'static str, locale: Locale) {
        let problem = match sent {
            Some(response) if response.ok() => {
                let text = response.text().await.ok();
                match text.and_then(|text| crate::wire::from_json::<super::model::NgoLogo>(&text).ok()) {
                    Some(answer) => {
                        self.logo.set(answer.logo);
                        self.done.set(Some(done));
                        None
                    }
                    None => Some(td_string!(locale, error_text).to_string()),
                }
            }
            Some(response) => Some(match response.status() {
                413 | 415 => crate::site::problem_text(crate::error::FieldProblem::InvalidImage, locale),
                401 => td_string!(locale, error_session_ended).to_string(),
                403 => td_string!(locale, error_no_access).to_string(),
                404 => td_string!(locale, admin_ngo_gone).to_string(),
                _ => td_string!(locale, error_text).to_string(),
            }),
            None => Some(td_string!(locale, error_no_connection).to_string()),
        };
        self.problem.set(problem);
        self.busy.set(false);
    }
}
