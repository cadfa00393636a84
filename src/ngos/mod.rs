//! The NGO directory (`/{lang}/ngos`): search as you type, filters by region, field and legal
//! form whose counts follow the other filters, sort and pages, all in the address (shareable,
//! and a plain GET form without JavaScript); and a profile per NGO (`/{lang}/ngos/{slug}`).
pub mod api;
mod cartogram;
#[cfg(feature = "ssr")]
pub mod index;
pub mod model;
#[cfg(feature = "ssr")]
pub mod service;

use crate::cards::{EventGrid, PostGrid};
use crate::domain::{Field, Lang, LegalForm, Region, format_count, with_query};
use crate::i18n::*;
use crate::locale::href;
use crate::site::{ErrorView, JsonLd, PageMeta, loaded, page_data, use_lang};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use model::{Choice, DirectoryData, DirectoryFilters, NgoCard, NgoProfile};
use serde_json::json;

/// The query parameters of the directory, in the order its addresses write them.
const PARAMETERS: [&str; 6] = ["q", "region", "field", "form", "sort", "page"];

/// The directory's address with `filters` and `page` (empty values left out).
fn directory_href(lang: Lang, filters: &DirectoryFilters, page: u32) -> String {
    let page = if page > 1 { page.to_string() } else { String::new() };
    href(
        lang,
        &with_query(
            "ngos",
            &[
                ("q", &filters.q),
                ("region", &filters.region),
                ("field", &filters.field),
                ("form", &filters.form),
                ("sort", &filters.sort),
                ("page", &page),
            ],
        ),
    )
}

/// The name of the region of `code` in `lang` (empty for no such region).
pub fn region_name(code: &str, lang: Lang) -> String {
    Region::by_code(code)
        .map(|r| r.name(lang).to_owned())
        .unwrap_or_default()
}

#[component]
pub fn DirectoryPage() -> impl IntoView {
    crate::site::public_page();
    let locale = crate::site::page_locale();
    let lang = use_lang();
    let query = use_query_map();
    let data = page_data(
        move || query.with(|q| PARAMETERS.map(|name| q.get(name).unwrap_or_default())),
        move |[q, region, field, form, sort, page]| api::directory(lang, q, region, field, form, sort, page),
    );
    let typed = query.with_untracked(|q| q.get("q").unwrap_or_default());
    let sort = query.with_untracked(|q| q.get("sort").unwrap_or_default());
    // Kept while the next page of results loads, so that typing never loses the search box.
    view! {
        <section class="page-head directory-head">
            <h1>{td_string!(locale, directory_title)}</h1>
            <p>{td_string!(locale, directory_lead)}</p>
            <SearchForm typed sort />
        </section>
        <Transition fallback=move || view! { <p class="loading" role="status">{td_string!(locale, loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(data) => view! { <DirectoryView data /> }.into_any(),
                    Err(error) => view! { <ErrorView error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The search box and sort; the filters chosen so far travel as hidden fields. Hydrated, the
/// results follow the typing (after a pause, replacing the address rather than adding to the
/// history); without JavaScript it is a GET form.
#[component]
fn SearchForm(typed: String, sort: String) -> impl IntoView {
    let locale = crate::site::page_locale();
    let query = use_query_map();
    let hidden = move |name: &'static str| {
        let value = query.with(|q| q.get(name).unwrap_or_default());
        (!value.is_empty()).then(|| view! { <input type="hidden" name=name value=value /> })
    };
    let on_input = move |ev: leptos::ev::Event| crate::site::submit_after_pause(ev);
    let on_sort = move |ev: leptos::ev::Event| crate::site::submit_form_of(ev);
    view! {
        <leptos_router::components::Form method="GET" action="" replace=true attr:class="directory-search" attr:role="search">
            // Read again after every navigation: a filter chosen by a link travels with the search.
            {move || hidden("region")} {move || hidden("field")} {move || hidden("form")}
            <div class="field directory-search__q">
                <label for="q">{td_string!(locale, directory_search)}</label>
                <input id="q" name="q" type="search" value=typed autocomplete="off" enterkeyhint="search"
                    placeholder=td_string!(locale, directory_search_placeholder) on:input=on_input data-testid="directory-q" />
            </div>
            <div class="field directory-search__sort">
                <label for="sort">{td_string!(locale, directory_sort)}</label>
                <select id="sort" name="sort" on:change=on_sort>
                    <option value="" selected=sort.is_empty()>{td_string!(locale, directory_sort_relevance)}</option>
                    <option value="name" selected=sort == "name">{td_string!(locale, directory_sort_name)}</option>
                    <option value="founded" selected=sort == "founded">{td_string!(locale, directory_sort_founded)}</option>
                </select>
            </div>
            <button type="submit" class="button button--small">{td_string!(locale, door_search_button)}</button>
        </leptos_router::components::Form>
    }
}

/// One filter's choices with their counts, as links (the chosen one links back to all).
#[component]
fn FacetList(
    title: String,
    name: &'static str,
    choices: Vec<(Choice, String)>,
    filters: DirectoryFilters,
    lang: Lang,
) -> impl IntoView {
    let locale = crate::site::page_locale();
    let chosen = match name {
        "region" => filters.region.clone(),
        "field" => filters.field.clone(),
        _ => filters.form.clone(),
    };
    let with_choice = move |code: &str| {
        let mut next = filters.clone();
        match name {
            "region" => next.region = code.to_owned(),
            "field" => next.field = code.to_owned(),
            _ => next.form = code.to_owned(),
        }
        directory_href(lang, &next, 1)
    };
    let all = with_choice("");
    let chosen_label = choices
        .iter()
        .find(|(choice, _)| choice.code == chosen)
        .map(|(_, label)| label.clone());
    // Closed until a choice is made, so that on a phone the results come right after the filters.
    view! {
        <details class="facet" open=!chosen.is_empty() data-testid=format!("facet-{name}")>
            <summary>{title} {chosen_label.map(|label| view! { <span class="facet__chosen">{format!("· {label}")}</span> })}</summary>
            <ul class="facet__list plain">
                {(!chosen.is_empty()).then(|| view! {
                    <li><a href=all class="facet__all">{td_string!(locale, directory_any)}</a></li>
                })}
                {choices.into_iter().filter(|(choice, _)| choice.count > 0 || choice.code == chosen).map(|(choice, label)| {
                    let current = (choice.code == chosen).then_some("true");
                    view! {
                        <li>
                            <a href=with_choice(&choice.code) aria-current=current>
                                <span>{label}</span>
                                <span class="facet__count">{format_count(choice.count, lang)}</span>
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </details>
    }
}

#[component]
fn DirectoryView(data: DirectoryData) -> impl IntoView {
    let locale = crate::site::page_locale();
    let lang = use_lang();
    let filters = data.filters.clone();
    let (page, pages) = (data.page, data.pages);
    let path = directory_href(lang, &DirectoryFilters::default(), 1);
    let map = {
        let chosen = filters.region.clone();
        let filters = filters.clone();
        let href_of = move |code: &str| {
            let mut next = filters.clone();
            next.region = code.to_owned();
            directory_href(lang, &next, 1)
        };
        view! { <cartogram::Cartogram regions=data.regions.clone() chosen lang href_of /> }
    };
    let regions = data
        .regions
        .into_iter()
        .map(|choice| {
            let name = region_name(&choice.code, lang);
            (choice, name)
        })
        .collect();
    let fields = data
        .fields
        .into_iter()
        .map(|choice| {
            let name = Field::parse(&choice.code)
                .map(|f| f.name(lang))
                .unwrap_or_default()
                .to_owned();
            (choice, name)
        })
        .collect();
    let forms = data
        .legal_forms
        .into_iter()
        .map(|choice| {
            let name = LegalForm::parse(&choice.code)
                .map(|f| f.name(lang))
                .unwrap_or_default()
                .to_owned();
            (choice, name)
        })
        .collect();
    let found = td_string!(locale, directory_found, count = format_count(data.total, lang)).to_string();
    let prev = (page > 1).then(|| directory_href(lang, &filters, page - 1));
    let next = (page < pages).then(|| directory_href(lang, &filters, page + 1));
    view! {
        <PageMeta title=td_string!(locale, directory_title).to_string() description=td_string!(locale, directory_lead).to_string()
            path=Some(path.trim_start_matches(&format!("/{}/", lang.code())).to_owned()) />
        <div class="directory">
            <aside class="directory__facets" aria-label=td_string!(locale, directory_filters)>
                {map}
                <FacetList title=td_string!(locale, directory_region).to_string() name="region" choices=regions filters=filters.clone() lang />
                <FacetList title=td_string!(locale, directory_field).to_string() name="field" choices=fields filters=filters.clone() lang />
                <FacetList title=td_string!(locale, directory_form).to_string() name="form" choices=forms filters=filters.clone() lang />
            </aside>
            <div class="directory__results">
                <p class="directory__found" role="status" data-testid="directory-found">{found}</p>
                {data.ngos.is_empty().then(|| view! { <p class="empty">{td_string!(locale, directory_none)}</p> })}
                <ul class="ngo-list plain" data-testid="ngo-list">
                    {data.ngos.into_iter().map(|ngo| view! { <NgoRow ngo lang /> }).collect_view()}
                </ul>
                {(pages > 1).then(|| view! {
                    <nav class="pagination" aria-label=td_string!(locale, pagination)>
                        {prev.map(|prev| view! { <a rel="prev" href=prev>{td_string!(locale, page_previous)}</a> })}
                        <span>{td_string!(locale, page_of)} " " {page} " / " {format_count(u64::from(pages), lang)}</span>
                        {next.map(|next| view! { <a rel="next" href=next>{td_string!(locale, page_next)}</a> })}
                    </nav>
                })}
            </div>
        </div>
    }
}

#[component]
fn NgoRow(ngo: NgoCard, lang: Lang) -> impl IntoView {
    let locale = crate::site::page_locale();
    let place = format!("{}, {}", ngo.municipality, region_name(&ngo.region, lang));
    let fields = ngo
        .fields
        .iter()
        .map(|field| field.name(lang))
        .collect::<Vec<_>>()
        .join(" · ");
    let inactive = (ngo.status != crate::domain::NgoStatus::Active).then(|| ngo.status.name(lang));
    view! {
        <li class="ngo-row" data-testid="ngo-row">
            <NgoMark name=ngo.name.clone() slug=ngo.slug.clone() logo=ngo.logo.clone() size=48 />
            <div class="ngo-row__text">
                <a class="ngo-row__name" href=href(lang, &format!("ngos/{}", ngo.slug))>{ngo.name}</a>
                <p class="ngo-row__meta">
                    {ngo.legal_form.name(lang)} " · " {place}
                    {ngo.public_benefit.then(|| view! { " · " <span class="badge">{td_string!(locale, directory_public_benefit)}</span> })}
                    {inactive.map(|status| view! { " · " <span class="badge badge--muted">{status}</span> })}
                </p>
                <p class="ngo-row__fields">{fields}</p>
            </div>
        </li>
    }
}

/// An NGO's logo in a square of `size` CSS pixels, or its initials on a colour of its own
/// when it has none. Decorative: its name is always written beside it.
#[component]
pub fn NgoMark(name: String, slug: String, logo: Option<crate::domain::Cover>, size: u32) -> impl IntoView {
    match logo {
        Some(logo) => {
            let srcset = (!logo.srcset.is_empty()).then_some(logo.srcset);
            // The list's small marks load as they scroll into view; a profile's at once.
            // `loading` before `src`: an element made in the browser starts its load at `src`.
            let loading = (size < 64).then_some("lazy");
            view! {
                <img class="ngo-mark ngo-mark--logo" loading=loading decoding="async" width=size height=size
                    sizes=format!("{size}px") srcset=srcset src=logo.src alt="" data-testid="ngo-logo" />
            }
            .into_any()
        }
        None => {
            let shade = slug.bytes().map(u32::from).sum::<u32>() % 6;
            view! {
                <span class=format!("ngo-mark ngo-mark--initials ngo-mark--shade-{shade} ngo-mark--{size}") aria-hidden="true"
                    data-testid="ngo-initials">{model::monogram(&name)}</span>
            }
            .into_any()
        }
    }
}

#[component]
pub fn NgoPage() -> impl IntoView {
    crate::site::public_page();
    let lang = use_lang();
    let params = use_params_map();
    let profile = page_data(
        move || params.with(|p| p.get("slug").unwrap_or_default()),
        move |slug| api::profile(lang, slug),
    );
    view! { {loaded(profile, |profile| view! { <ProfileView profile /> })} }
}

/// schema.org `Organization` of a profile, for search engines.
fn organization_json_ld(profile: &NgoProfile, lang: Lang) -> serde_json::Value {
    let origin = crate::site::site_origin();
    let card = &profile.card;
    let mut data = json!({
        "@context": "https://schema.org",
        "@type": "NGO",
        "name": card.name,
        "url": format!("{origin}{}", href(lang, &format!("ngos/{}", card.slug))),
        "description": profile.description,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": profile.address,
            "addressLocality": card.municipality,
            "addressRegion": region_name(&card.region, lang),
            "addressCountry": "BG",
        },
    });
    if !profile.other_name.is_empty() {
        data["alternateName"] = json!(profile.other_name);
    }
    if let Some(logo) = &card.logo {
        data["logo"] = json!(format!("{origin}{}", logo.src));
    }
    for (key, value) in [
        ("taxID", profile.eik.clone()),
        ("sameAs", profile.website.clone()),
        ("email", profile.email.clone()),
        ("telephone", profile.phone.clone()),
        ("foundingDate", profile.founded.map(|year| year.to_string())),
    ] {
        if let Some(value) = value {
            data[key] = json!(value);
        }
    }
    data
}

#[component]
fn ProfileView(profile: NgoProfile) -> impl IntoView {
    let locale = crate::site::page_locale();
    let lang = use_lang();
    let card = profile.card.clone();
    let path = format!("ngos/{}", card.slug);
    let place = format!("{}, {}", card.municipality, region_name(&card.region, lang));
    let correction = format!(
        "mailto:corrections@ngo-portal.bg?subject={}",
        crate::domain::urlencode(&format!("{} {}", td_string!(locale, ngo_correction_subject), card.name))
    );
    let field_links = card
        .fields
        .iter()
        .map(|field| {
            let filters = DirectoryFilters {
                field: field.code().to_owned(),
                ..DirectoryFilters::default()
            };
            view! { <li><a class="chip" href=directory_href(lang, &filters, 1)>{field.name(lang)}</a></li> }
        })
        .collect_view();
    let structured = organization_json_ld(&profile, lang);
    view! {
        <PageMeta title=card.name.clone() description=profile.description.clone() path=Some(path) />
        <JsonLd data=structured />
        <article class="post ngo-profile">
            <header class="post__head ngo-profile__head">
                <NgoMark name=card.name.clone() slug=card.slug.clone() logo=card.logo.clone() size=96 />
                <div>
                    <p class="post__meta"><a class="post__category" href=href(lang, "ngos")>{td_string!(locale, directory_title)}</a></p>
                    <h1 class="post__title">{card.name.clone()}</h1>
                    {(!profile.other_name.is_empty()).then(|| view! { <p class="ngo-profile__other-name">{profile.other_name.clone()}</p> })}
                </div>
            </header>
            <div class="post__body">
                <p class="ngo-profile__description">{profile.description.clone()}</p>
                <ul class="plain ngo-profile__fields">{field_links}</ul>
            </div>
            <dl class="event-facts">
                <div><dt>{td_string!(locale, ngo_legal_form)}</dt><dd>{card.legal_form.name(lang)}
                    {card.public_benefit.then(|| view! { " · " {td_string!(locale, directory_public_benefit)} })}</dd></div>
                <div><dt>{td_string!(locale, ngo_status)}</dt><dd>{card.status.name(lang)}</dd></div>
                <div><dt>{td_string!(locale, ngo_place)}</dt><dd>{place}</dd></div>
                {(!profile.address.is_empty()).then(|| view! { <div><dt>{td_string!(locale, ngo_address)}</dt><dd>{profile.address.clone()}</dd></div> })}
                {profile.founded.map(|year| view! { <div><dt>{td_string!(locale, ngo_founded)}</dt><dd>{year}</dd></div> })}
                {profile.eik.clone().map(|eik| view! { <div><dt>{td_string!(locale, ngo_eik)}</dt><dd>{eik}</dd></div> })}
                {profile.website.clone().map(|url| view! {
                    <div><dt>{td_string!(locale, ngo_website)}</dt><dd><a href=url.clone() rel="noopener nofollow">{url.trim_start_matches("https://").to_owned()}</a></dd></div>
                })}
                {profile.email.clone().map(|email| view! {
                    <div><dt>{td_string!(locale, ngo_email)}</dt><dd><a href=format!("mailto:{email}")>{email.clone()}</a></dd></div>
                })}
                {profile.phone.clone().map(|phone| view! {
                    <div><dt>{td_string!(locale, ngo_phone)}</dt><dd><a href=format!("tel:{}", phone.replace(' ', ""))>{phone.clone()}</a></dd></div>
                })}
            </dl>
            <p class="post__body ngo-profile__correction"><a href=correction>{td_string!(locale, ngo_report_correction)}</a></p>
        </article>
        {(!profile.events.is_empty()).then(|| view! {
            <section class="related" aria-labelledby="ngo-events-heading">
                <h2 id="ngo-events-heading">{td_string!(locale, ngo_upcoming_events)}</h2>
                <EventGrid cards=profile.events.clone() />
            </section>
        })}
        {(!profile.posts.is_empty()).then(|| view! {
            <section class="related" aria-labelledby="ngo-posts-heading">
                <h2 id="ngo-posts-heading">{td_string!(locale, ngo_posts)}</h2>
                <PostGrid cards=profile.posts.clone() />
            </section>
        })}
    }
}
