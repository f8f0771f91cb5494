//! The cookies page: the registry as the grid shows it (filterable by category and party),
//! the shop's own entries to add, edit (with their translations per site) and delete, a
//! preview of the grid as an entry being written would show in it, and the cookie
//! scanner's "seen but not described" names, each a click away from an entry form filled
//! in with its name.

use std::sync::Arc;

use axum::{
    Form, Router,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use leptos::prelude::*;
use serde::Deserialize;

use super::{
    Console,
    access::{SignedIn, let_post_in},
    page::{self, FieldError},
    texts::{self, fill, texts},
};
use crate::{
    Category,
    registry::{
        CookieEntry, CookieTranslation, EntrySource, LocalCookie, NewCookie, RegistryError,
        SiteTranslation,
    },
};

pub(super) fn routes(console: &Console) -> Router<Arc<Console>> {
    Router::new()
        .route(&console.path("/cookies"), get(list))
        .route(&console.path("/cookies/new"), get(new_form).post(create))
        .route(&console.path("/cookies/delete"), post(delete))
        .route(&console.path("/cookies/{id}"), get(edit_form).post(update))
        .route(
            &console.path("/cookies/{id}/translations"),
            post(put_translation),
        )
        .route(
            &console.path("/cookies/{id}/translations/delete"),
            post(delete_translation),
        )
}

/// The list's filters.
#[derive(Default, Deserialize)]
struct Filter {
    #[serde(default)]
    category: String,
    #[serde(default)]
    party: String,
    /// The name of an entry just added, to confirm it.
    #[serde(default)]
    added: String,
    /// The name of an entry just saved, to confirm it.
    #[serde(default)]
    saved: String,
}

/// `GET /cookies`.
async fn list(
    State(console): State<Arc<Console>>,
    signed_in: SignedIn,
    Query(filter): Query<Filter>,
) -> Response {
    let Some(registry) = &console.registry else {
        return super::not_found(&console, &signed_in);
    };
    let undescribed = match &console.scanner {
        Some(scanner) => match scanner.undescribed(30).await {
            Ok(names) => Some(names),
            Err(error) => return super::store_failure(&error),
        },
        None => None,
    };
    let snapshot = registry.snapshot();
    let category = Category::ALL
        .into_iter()
        .find(|c| c.as_str() == filter.category);
    let party = match filter.party.as_str() {
        "first" => Some(false),
        "third" => Some(true),
        _ => None,
    };
    let shown: Vec<&CookieEntry> = snapshot
        .entries()
        .iter()
        .filter(|entry| category.is_none_or(|c| entry.category == c))
        .filter(|entry| party.is_none_or(|third| entry.is_third_party == third))
        .collect();
    let rows = shown
        .iter()
        .map(|entry| entry_row(&console, &signed_in, entry))
        .collect_view();
    let all = texts();
    let words = &all.cookies;
    let category_options = category_options(words.every_category, &filter.category);
    let party_options = [
        ("", words.both_parties),
        ("first", words.first_party),
        ("third", words.third_party),
    ]
    .map(|(value, label)| {
        let selected = value == filter.party;
        view! { <option value=value selected=selected>{label}</option> }
    })
    .collect_view();
    let confirmed = match (filter.added.as_str(), filter.saved.as_str()) {
        ("", "") => None,
        ("", saved) => Some(fill(words.saved, &[("name", &saved)])),
        (added, _) => Some(fill(words.added, &[("name", &added)])),
    };
    let added =
        confirmed.map(|text| view! { <p class="lc-console__message" role="status">{text}</p> });
    let scanner = undescribed.map(|names| {
        let items = names
            .iter()
            .map(|sighting| {
                let describe = format!(
                    "{}?name={}",
                    console.path("/cookies/new"),
                    form_urlencoded::byte_serialize(sighting.name.as_bytes()).collect::<String>()
                );
                view! {
                    <tr>
                        <th scope="row">{sighting.name.clone()}</th>
                        <td class="lc-console__number">{sighting.seen}</td>
                        <td><a href=describe aria-label=fill(words.describe_name, &[("name", &sighting.name)])>{words.describe}</a></td>
                    </tr>
                }
            })
            .collect_view();
        let empty = names.is_empty();
        view! {
            <section aria-labelledby="undescribed-title">
                <h2 id="undescribed-title">{words.undescribed}</h2>
                <p>{words.undescribed_intro}</p>
                {if empty {
                    view! { <p>{words.all_described}</p> }.into_any()
                } else {
                    view! {
                        <table class="lc-console__table">
                            <thead><tr><th scope="col">{words.name}</th><th scope="col">{words.requests}</th><th scope="col">{all.page.action}</th></tr></thead>
                            <tbody>{items}</tbody>
                        </table>
                    }
                    .into_any()
                }}
            </section>
        }
    });
    let body = view! {
        {added}
        {scanner}
        <section aria-labelledby="registry-title">
            <h2 id="registry-title">{words.registry}</h2>
            <p><a href=console.path("/cookies/new")>{words.add}</a></p>
            <form class="lc-console__form" method="get" action=console.path("/cookies")>
                <div class="lc-console__field">
                    <label for="category">{words.category}</label>
                    <select id="category" name="category">{category_options}</select>
                </div>
                <div class="lc-console__field">
                    <label for="party">{words.party}</label>
                    <select id="party" name="party">{party_options}</select>
                </div>
                <button type="submit" class="lc-console__button">{words.filter}</button>
            </form>
            <div class="lc-console__scroll">
                <table class="lc-console__table">
                    <caption>{fill(words.entries, &[("shown", &shown.len()), ("total", &snapshot.entries().len())])}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{words.name}</th>
                            <th scope="col">{words.category}</th>
                            <th scope="col">{words.party}</th>
                            <th scope="col">{words.lifetime}</th>
                            <th scope="col">{words.description}</th>
                            <th scope="col">{words.source}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
    .into_any();
    page::for_staff(&console, &signed_in, StatusCode::OK, all.page.cookies, body)
}

/// A category `<select>`'s options: `none` (the empty value), then every category by the
/// name the banner gives it, `selected` selected.
fn category_options(none: &'static str, selected: &str) -> impl IntoView + use<> {
    let selected = selected.to_owned();
    std::iter::once(("", none.into()))
        .chain(Category::ALL.map(|c| (c.as_str(), texts::category(c))))
        .map(move |(value, label)| {
            let selected = value == selected;
            view! { <option value=value selected=selected>{label}</option> }
        })
        .collect_view()
}

fn entry_row(console: &Console, signed_in: &SignedIn, entry: &CookieEntry) -> AnyView {
    let words = &texts().cookies;
    let party = if entry.is_third_party {
        fill(
            words.third_party_by,
            &[("author", &entry.third_party_author)],
        )
    } else {
        words.first.to_owned()
    };
    let description = entry
        .text_for(1, "en")
        .map(|text| text.description.clone())
        .unwrap_or_default();
    let source = match entry.source {
        EntrySource::Native => view! { <td>{words.built_in}</td> }.into_any(),
        EntrySource::Local { id } => view! {
            <td class="lc-console__row-actions">
                <a href=console.path(&format!("/cookies/{id}")) aria-label=fill(words.edit_name, &[("name", &entry.name)])>{words.edit}</a>
                <form method="post" action=console.path("/cookies/delete")>
                    <input type="hidden" name="csrf" value=signed_in.csrf.token.clone()/>
                    <input type="hidden" name="id" value=id.to_string()/>
                    <button type="submit" class="lc-console__button lc-console__button--danger" aria-label=fill(words.delete_name, &[("name", &entry.name)])>
                        {words.delete}
                    </button>
                </form>
            </td>
        }
        .into_any(),
    };
    view! {
        <tr>
            <th scope="row">{entry.name.clone()}</th>
            <td>{texts::category(entry.category)}</td>
            <td>{party}</td>
            <td>{texts::lifetime(entry.lifetime)}</td>
            <td>{description}</td>
            {source}
        </tr>
    }
    .into_any()
}

/// The entry form's fields (checkboxes are absent when not ticked).
#[derive(Clone, Default, Deserialize)]
struct EntryForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    expire_days: String,
    #[serde(default)]
    permanent: Option<String>,
    #[serde(default)]
    renewed: Option<String>,
    #[serde(default)]
    is_third_party: Option<String>,
    #[serde(default)]
    third_party_author: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    description_da: String,
    /// `preview` to see the entry in the grid instead of saving it.
    #[serde(default)]
    intent: String,
    /// The site the preview shows the grid of (1 when empty).
    #[serde(default)]
    preview_site: String,
    /// The language the preview shows the grid in (`en` when empty).
    #[serde(default)]
    preview_locale: String,
}

impl EntryForm {
    /// The form filled in with a stored cookie.
    fn of(cookie: &NewCookie) -> Self {
        let on = |on: bool| on.then(|| "on".to_owned());
        EntryForm {
            name: cookie.name.clone(),
            category: cookie.category.as_str().to_owned(),
            expire_days: cookie.expire_days.to_string(),
            permanent: on(cookie.permanent),
            renewed: on(cookie.renewed),
            is_third_party: on(cookie.is_third_party),
            third_party_author: cookie.third_party_author.clone(),
            description: cookie.description.clone(),
            description_da: cookie.description_da.clone(),
            ..EntryForm::default()
        }
    }

    fn wants_preview(&self) -> bool {
        self.intent == "preview"
    }

    /// The site and language to preview the grid for, or the field at fault and why.
    fn preview_for(&self) -> Result<(i32, String), FieldError> {
        let site = match self.preview_site.trim() {
            "" => 1,
            site => site.parse().ok().filter(|site| *site >= 1).ok_or_else(|| {
                let value = format!("{site:?}");
                (
                    "preview_site",
                    fill(texts().entry.bad_site, &[("value", &value)]),
                )
            })?,
        };
        let locale = match self.preview_locale.trim() {
            "" => "en",
            locale => locale,
        };
        let tag = locale.len() <= 35
            && locale
                .split('-')
                .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric()));
        if !tag {
            let value = format!("{locale:?}");
            return Err((
                "preview_locale",
                fill(texts().entry.bad_locale, &[("value", &value)]),
            ));
        }
        Ok((site, locale.to_owned()))
    }

    /// The grid previewing the entry the form describes, or the field at fault and why.
    fn previewed(&self, page: &EntryPage) -> Result<Preview, FieldError> {
        let cookie = self.entry()?;
        let (site_id, locale) = self.preview_for()?;
        let grid = page.preview(cookie, site_id, &locale);
        Ok(Preview {
            site_id,
            locale,
            grid,
        })
    }

    /// The entry the form describes, or the field at fault and why.
    fn entry(&self) -> Result<NewCookie, FieldError> {
        let category = Category::ALL
            .into_iter()
            .find(|c| c.as_str() == self.category)
            .ok_or_else(|| ("category", texts().entry.choose_category.to_owned()))?;
        let expire_days = match self.expire_days.trim() {
            "" => 0,
            days => days.parse().map_err(|_| {
                let value = format!("{days:?}");
                (
                    "expire_days",
                    fill(texts().entry.bad_days, &[("value", &value)]),
                )
            })?,
        };
        let mut cookie = NewCookie::new(self.name.trim(), category);
        cookie.expire_days = expire_days;
        cookie.permanent = self.permanent.is_some();
        cookie.renewed = self.renewed.is_some();
        cookie.is_third_party = self.is_third_party.is_some();
        cookie.third_party_author = self.third_party_author.trim().to_owned();
        cookie.description = self.description.trim().to_owned();
        cookie.description_da = self.description_da.trim().to_owned();
        cookie
            .check()
            .map_err(|invalid| (invalid.field, invalid.problem))?;
        Ok(cookie)
    }
}

/// What an entry form is for: adding a cookie, or editing one (with its translations).
struct EntryPage {
    title: &'static str,
    /// Where the form posts.
    action: String,
    /// The cookie being edited: its id and translations.
    editing: Option<(i64, Vec<SiteTranslation>)>,
}

impl EntryPage {
    fn adding(console: &Console) -> Self {
        EntryPage {
            title: texts().entry.add_title,
            action: console.path("/cookies/new"),
            editing: None,
        }
    }

    fn editing(console: &Console, id: i64, translations: Vec<SiteTranslation>) -> Self {
        EntryPage {
            title: texts().entry.edit_title,
            action: console.path(&format!("/cookies/{id}")),
            editing: Some((id, translations)),
        }
    }

    /// The form page, with the error next to its field or the preview.
    fn show(
        &self,
        console: &Console,
        signed_in: &SignedIn,
        form: &EntryForm,
        outcome: Result<Option<Preview>, &FieldError>,
    ) -> Response {
        let status = if outcome.is_err() {
            StatusCode::BAD_REQUEST
        } else {
            StatusCode::OK
        };
        let body = entry_form(console, signed_in, form, self, outcome);
        page::for_staff(console, signed_in, status, self.title, body)
    }

    /// The entry the form describes, to be saved; or the answer instead: the form again
    /// with the preview asked for, or with the error next to its field.
    #[expect(
        clippy::result_large_err,
        reason = "the answer is made once a request and returned at once"
    )]
    fn to_save(
        &self,
        console: &Console,
        signed_in: &SignedIn,
        form: &EntryForm,
    ) -> Result<NewCookie, Response> {
        if !form.wants_preview() {
            return form
                .entry()
                .map_err(|error| self.show(console, signed_in, form, Err(&error)));
        }
        Err(match form.previewed(self) {
            Ok(preview) => self.show(console, signed_in, form, Ok(Some(preview))),
            Err(error) => self.show(console, signed_in, form, Err(&error)),
        })
    }

    /// The grid as it would show the entry on `site_id` in `locale`, with this page's
    /// translations.
    fn preview(&self, cookie: NewCookie, site_id: i32, locale: &str) -> String {
        let (id, translations) = self.editing.clone().unwrap_or_default();
        let entry = LocalCookie {
            id,
            cookie,
            translations,
        }
        .into_entry();
        crate::server::cookie_details::preview_html(entry, site_id, locale)
    }
}

/// An entry shown in the grid: for which site, in which language, and the grid's markup.
struct Preview {
    site_id: i32,
    locale: String,
    grid: String,
}

/// `GET /cookies/new?name=…`: the entry form, its name filled in from the scanner.
async fn new_form(
    State(console): State<Arc<Console>>,
    signed_in: SignedIn,
    Query(form): Query<EntryForm>,
) -> Response {
    if console.registry.is_none() {
        return super::not_found(&console, &signed_in);
    }
    EntryPage::adding(&console).show(&console, &signed_in, &form, Ok(None))
}

/// `POST /cookies/new`: adds the entry (or previews it), or shows the form again with the
/// error next to its field.
async fn create(
    State(console): State<Arc<Console>>,
    headers: HeaderMap,
    Form(form): Form<EntryForm>,
) -> Response {
    let signed_in = match let_post_in(&console, &headers, &form.csrf).await {
        Ok(signed_in) => signed_in,
        Err(refused) => return refused,
    };
    let Some(registry) = &console.registry else {
        return super::not_found(&console, &signed_in);
    };
    let page = EntryPage::adding(&console);
    let cookie = match page.to_save(&console, &signed_in, &form) {
        Ok(cookie) => cookie,
        Err(answer) => return answer,
    };
    match console
        .audit
        .change(
            signed_in.staff.name(),
            "add_cookie",
            &cookie.name,
            registry.create_local_cookie(&cookie),
            |_| 1,
        )
        .await
    {
        Err(error) => super::store_failure(&error),
        Ok(Ok(_)) => done(&console, "added", &cookie.name),
        Ok(Err(error)) => registry_failure(&console, &signed_in, &page, &form, error),
    }
}

/// After a change: back to the list, which confirms it.
fn done(console: &Console, what: &str, name: &str) -> Response {
    let name = form_urlencoded::byte_serialize(name.as_bytes()).collect::<String>();
    Redirect::to(&format!("{}?{what}={name}", console.path("/cookies"))).into_response()
}

/// A change the registry refused: the form again with the error next to its field, or the
/// reason on a page of its own.
fn registry_failure(
    console: &Console,
    signed_in: &SignedIn,
    page: &EntryPage,
    form: &EntryForm,
    error: RegistryError,
) -> Response {
    match error {
        RegistryError::Invalid(invalid) => page.show(
            console,
            signed_in,
            form,
            Err(&(invalid.field, invalid.problem)),
        ),
        RegistryError::Store(error) => super::store_failure(&error),
        RegistryError::NotFound => super::not_found(console, signed_in),
        error => {
            let body = page::message(
                error.to_string(),
                Some((console.path("/cookies"), texts().cookies.back)),
            );
            page::for_staff(
                console,
                signed_in,
                StatusCode::BAD_REQUEST,
                page.title,
                body,
            )
        }
    }
}

/// The shop's cookie `id`, with its translations; the answer for anything else.
async fn stored<'c>(
    console: &'c Console,
    signed_in: &SignedIn,
    id: i64,
) -> Result<(&'c crate::registry::CookieRegistry, LocalCookie), Response> {
    let Some(registry) = &console.registry else {
        return Err(super::not_found(console, signed_in));
    };
    match registry.local_cookie(id).await {
        Ok(cookie) => Ok((registry, cookie)),
        Err(RegistryError::Store(error)) => Err(super::store_failure(&error)),
        Err(_) => Err(super::not_found(console, signed_in)),
    }
}

/// `GET /cookies/{id}`: the shop's entry in its form, with its translations.
async fn edit_form(
    State(console): State<Arc<Console>>,
    signed_in: SignedIn,
    Path(id): Path<i64>,
) -> Response {
    let (_, cookie) = match stored(&console, &signed_in, id).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let form = EntryForm::of(&cookie.cookie);
    EntryPage::editing(&console, id, cookie.translations).show(
        &console,
        &signed_in,
        &form,
        Ok(None),
    )
}

/// `POST /cookies/{id}`: saves (or previews) the entry.
async fn update(
    State(console): State<Arc<Console>>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<EntryForm>,
) -> Response {
    let signed_in = match let_post_in(&console, &headers, &form.csrf).await {
        Ok(signed_in) => signed_in,
        Err(refused) => return refused,
    };
    let (registry, stored) = match stored(&console, &signed_in, id).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let page = EntryPage::editing(&console, id, stored.translations);
    let cookie = match page.to_save(&console, &signed_in, &form) {
        Ok(cookie) => cookie,
        Err(answer) => return answer,
    };
    match console
        .audit
        .change(
            signed_in.staff.name(),
            "edit_cookie",
            &format!("{} (id {id})", cookie.name),
            registry.update_local_cookie(id, &cookie),
            |_| 1,
        )
        .await
    {
        Err(error) => super::store_failure(&error),
        Ok(Ok(())) => done(&console, "saved", &cookie.name),
        Ok(Err(error)) => registry_failure(&console, &signed_in, &page, &form, error),
    }
}

/// A translation's fields.
#[derive(Deserialize)]
struct TranslationForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    site_id: String,
    #[serde(default)]
    locale: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    third_party_author_description: String,
    #[serde(default)]
    expire_text: String,
}

/// `POST /cookies/{id}/translations`: adds or replaces the entry's texts for one site.
async fn put_translation(
    State(console): State<Arc<Console>>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<TranslationForm>,
) -> Response {
    let signed_in = match let_post_in(&console, &headers, &form.csrf).await {
        Ok(signed_in) => signed_in,
        Err(refused) => return refused,
    };
    let (registry, stored) = match stored(&console, &signed_in, id).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let entry_form = EntryForm::of(&stored.cookie);
    let page = EntryPage::editing(&console, id, stored.translations);
    let Ok(site_id) = form.site_id.trim().parse::<i32>() else {
        let error = ("site_id", texts().entry.bad_site_id.to_owned());
        return page.show(&console, &signed_in, &entry_form, Err(&error));
    };
    let translation = CookieTranslation {
        locale: form.locale.trim().to_owned(),
        description: form.description.trim().to_owned(),
        third_party_author_description: form.third_party_author_description.trim().to_owned(),
        expire_text: form.expire_text.trim().to_owned(),
    };
    match console
        .audit
        .change(
            signed_in.staff.name(),
            "translate_cookie",
            &format!("{} (id {id}) for site {site_id}", stored.cookie.name),
            registry.put_translation(id, site_id, &translation),
            |_| 1,
        )
        .await
    {
        Err(error) => super::store_failure(&error),
        Ok(Ok(())) => Redirect::to(&console.path(&format!("/cookies/{id}"))).into_response(),
        Ok(Err(error)) => registry_failure(&console, &signed_in, &page, &entry_form, error),
    }
}

/// The translation delete button's fields.
#[derive(Deserialize)]
struct SiteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    site_id: i32,
}

/// `POST /cookies/{id}/translations/delete`: removes the entry's texts for one site.
async fn delete_translation(
    State(console): State<Arc<Console>>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<SiteForm>,
) -> Response {
    let signed_in = match let_post_in(&console, &headers, &form.csrf).await {
        Ok(signed_in) => signed_in,
        Err(refused) => return refused,
    };
    let (registry, stored) = match stored(&console, &signed_in, id).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    match console
        .audit
        .change(
            signed_in.staff.name(),
            "delete_translation",
            &format!("{} (id {id}) for site {}", stored.cookie.name, form.site_id),
            registry.delete_translation(id, form.site_id),
            |_| 1,
        )
        .await
    {
        Err(error) | Ok(Err(RegistryError::Store(error))) => super::store_failure(&error),
        Ok(Ok(())) => Redirect::to(&console.path(&format!("/cookies/{id}"))).into_response(),
        Ok(Err(_)) => super::not_found(&console, &signed_in),
    }
}

/// The delete button's fields.
#[derive(Deserialize)]
struct DeleteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    id: String,
}

/// `POST /cookies/delete`: deletes one of the shop's own entries.
async fn delete(
    State(console): State<Arc<Console>>,
    headers: HeaderMap,
    Form(form): Form<DeleteForm>,
) -> Response {
    let signed_in = match let_post_in(&console, &headers, &form.csrf).await {
        Ok(signed_in) => signed_in,
        Err(refused) => return refused,
    };
    let Some(registry) = &console.registry else {
        return super::not_found(&console, &signed_in);
    };
    let all = texts();
    let onwards = Some((console.path("/cookies"), all.cookies.back));
    let Ok(id) = form.id.parse::<i64>() else {
        let body = page::message(all.cookies.no_such_entry.to_owned(), onwards);
        return page::for_staff(
            &console,
            &signed_in,
            StatusCode::BAD_REQUEST,
            all.page.cookies,
            body,
        );
    };
    match console
        .audit
        .change(
            signed_in.staff.name(),
            "delete_cookie",
            &format!("id {id}"),
            registry.delete_local_cookie(id),
            |_| 1,
        )
        .await
    {
        Err(error) | Ok(Err(RegistryError::Store(error))) => super::store_failure(&error),
        Ok(Ok(())) => Redirect::to(&console.path("/cookies")).into_response(),
        Ok(Err(error)) => {
            let body = page::message(error.to_string(), onwards);
            page::for_staff(
                &console,
                &signed_in,
                StatusCode::NOT_FOUND,
                all.page.cookies,
                body,
            )
        }
    }
}

fn entry_form(
    console: &Console,
    signed_in: &SignedIn,
    form: &EntryForm,
    page: &EntryPage,
    outcome: Result<Option<Preview>, &FieldError>,
) -> AnyView {
    let (error, preview) = match outcome {
        Ok(preview) => (None, preview),
        Err(error) => (Some(error), None),
    };
    let message_for = |field: &'static str| {
        error
            .filter(|(at, _)| *at == field)
            .map(|(_, message)| message.clone())
    };
    let area = |field: &'static str, label: &'static str, value: &str| {
        let message = message_for(field);
        let error_id = format!("{field}-error");
        let described = message.is_some().then(|| error_id.clone());
        view! {
            <div class="lc-console__field lc-console__field--wide">
                <label for=field>{label}</label>
                <textarea id=field name=field rows="3" aria-describedby=described>{value.to_owned()}</textarea>
                {message.map(|message| view! { <p id=error_id class="lc-console__error">{message}</p> })}
            </div>
        }
    };
    let checkbox = |field: &'static str, label: &'static str, on: bool| {
        view! {
            <div class="lc-console__check">
                <input id=field name=field type="checkbox" value="on" checked=on/>
                <label for=field>{label}</label>
            </div>
        }
    };
    let all = texts();
    let words = &all.entry;
    let category_message = message_for("category");
    let category_options = category_options(words.choose, &form.category);
    let submit = if page.editing.is_some() {
        words.save
    } else {
        words.create
    };
    let preview = preview.map(|preview| {
        let title = fill(
            words.preview_title,
            &[("site", &preview.site_id), ("locale", &preview.locale)],
        );
        view! {
            <section aria-labelledby="preview-title" class="lc-console__preview">
                <h2 id="preview-title">{title}</h2>
                <div class="lc-root lc-cookie-details" lang=preview.locale inner_html=preview.grid></div>
            </section>
        }
    });
    // Always there (empty until there is a preview): the console's script puts the live
    // preview into it as staff type.
    let preview = view! { <div id="lc-console-preview">{preview}</div> };
    let translations = page.editing.as_ref().map(|(id, translations)| {
        translations_view(
            console,
            signed_in,
            *id,
            translations,
            message_for("site_id"),
            message_for("locale"),
        )
    });
    view! {
        {preview}
        <form class="lc-console__form" method="post" action=page.action.clone()>
            <input type="hidden" name="csrf" value=signed_in.csrf.token.clone()/>
            {page::text_field("name", words.name, "text", &form.name, error)}
            <div class="lc-console__field">
                <label for="category">{all.cookies.category}</label>
                <select id="category" name="category" aria-describedby=category_message.is_some().then_some("category-error")>
                    {category_options}
                </select>
                {category_message.map(|message| view! { <p id="category-error" class="lc-console__error">{message}</p> })}
            </div>
            {page::text_field("expire_days", words.expire_days, "number", &form.expire_days, error)}
            {checkbox("permanent", words.permanent, form.permanent.is_some())}
            {checkbox("renewed", words.renewed, form.renewed.is_some())}
            {checkbox("is_third_party", words.third_party, form.is_third_party.is_some())}
            {page::text_field("third_party_author", words.author, "text", &form.third_party_author, error)}
            {area("description", words.description, &form.description)}
            {area("description_da", words.description_da, &form.description_da)}
            <fieldset>
                <legend>{words.preview_for}</legend>
                {page::text_field("preview_site", words.preview_site, "number", &form.preview_site, error)}
                {page::text_field("preview_locale", words.preview_locale, "text", &form.preview_locale, error)}
            </fieldset>
            <button type="submit" name="intent" value="preview" class="lc-console__button">{words.preview}</button>
            <button type="submit" name="intent" value="save" class="lc-console__button">{submit}</button>
            <a href=console.path("/cookies")>{all.page.cancel}</a>
        </form>
        {translations}
    }
    .into_any()
}

/// An edited entry's texts per site, each deletable, and the form to add or replace one.
fn translations_view(
    console: &Console,
    signed_in: &SignedIn,
    id: i64,
    translations: &[SiteTranslation],
    site_error: Option<String>,
    locale_error: Option<String>,
) -> AnyView {
    let all = texts();
    let words = &all.entry;
    let rows = translations
        .iter()
        .map(|site| {
            view! {
                <tr>
                    <th scope="row">{site.site_id}</th>
                    <td>{site.translation.locale.clone()}</td>
                    <td>{site.translation.description.clone()}</td>
                    <td>{site.translation.expire_text.clone()}</td>
                    <td>
                        <form method="post" action=console.path(&format!("/cookies/{id}/translations/delete"))>
                            <input type="hidden" name="csrf" value=signed_in.csrf.token.clone()/>
                            <input type="hidden" name="site_id" value=site.site_id.to_string()/>
                            <button type="submit" class="lc-console__button lc-console__button--danger" aria-label=fill(words.delete_site_text, &[("site", &site.site_id)])>
                                {all.cookies.delete}
                            </button>
                        </form>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let error = |id: &'static str, message: Option<String>| {
        message.map(|message| view! { <p id=id class="lc-console__error">{message}</p> })
    };
    let site_invalid = site_error.is_some().then_some("true");
    let locale_invalid = locale_error.is_some().then_some("true");
    view! {
        <section aria-labelledby="translations-title">
            <h2 id="translations-title">{words.texts_per_site}</h2>
            <p>{words.texts_intro}</p>
            <table class="lc-console__table">
                <thead>
                    <tr>
                        <th scope="col">{words.site}</th>
                        <th scope="col">{words.language}</th>
                        <th scope="col">{words.purpose}</th>
                        <th scope="col">{words.lifetime_words}</th>
                        <th scope="col">{all.page.action}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <form class="lc-console__form" method="post" action=console.path(&format!("/cookies/{id}/translations"))>
                <input type="hidden" name="csrf" value=signed_in.csrf.token.clone()/>
                <div class="lc-console__field">
                    <label for="site_id">{words.site}</label>
                    <input id="site_id" name="site_id" type="number" required aria-invalid=site_invalid aria-describedby=site_invalid.map(|_| "site_id-error")/>
                    {error("site_id-error", site_error)}
                </div>
                <div class="lc-console__field">
                    <label for="locale">{words.site_language}</label>
                    <input id="locale" name="locale" type="text" required aria-invalid=locale_invalid aria-describedby=locale_invalid.map(|_| "locale-error")/>
                    {error("locale-error", locale_error)}
                </div>
                <div class="lc-console__field lc-console__field--wide">
                    <label for="translation-description">{words.purpose_in_language}</label>
                    <textarea id="translation-description" name="description" rows="3"></textarea>
                </div>
                <div class="lc-console__field">
                    <label for="expire_text">{words.lifetime_words_optional}</label>
                    <input id="expire_text" name="expire_text" type="text"/>
                </div>
                <button type="submit" class="lc-console__button">{words.save_site_text}</button>
            </form>
        </section>
    }
    .into_any()
}
