//! The cookies page: the registry as the grid shows it (filterable by category and party),
//! the shop's own entries to add and delete, and the cookie scanner's "seen but not
//! described" names, each a click away from an entry form filled in with its name.

use std::sync::Arc;

use axum::{
    Form, Router,
    extract::{Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use leptos::prelude::*;
use serde::Deserialize;

use super::{
    Console,
    access::{SignedIn, let_post_in},
    page,
};
use crate::{
    Category,
    registry::{CookieEntry, EntrySource, NewCookie, RegistryError},
};

pub(super) fn routes(console: &Console) -> Router<Arc<Console>> {
    Router::new()
        .route(&console.path("/cookies"), get(list))
        .route(&console.path("/cookies/new"), get(new_form).post(create))
        .route(&console.path("/cookies/delete"), post(delete))
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
    let category_options = std::iter::once(("", "Every category"))
        .chain(Category::ALL.map(|c| (c.as_str(), c.as_str())))
        .map(|(value, label)| {
            let selected = value == filter.category;
            view! { <option value=value selected=selected>{label}</option> }
        })
        .collect_view();
    let party_options = [
        ("", "First and third party"),
        ("first", "First party"),
        ("third", "Third party"),
    ]
    .map(|(value, label)| {
        let selected = value == filter.party;
        view! { <option value=value selected=selected>{label}</option> }
    })
    .collect_view();
    let added = (!filter.added.is_empty())
        .then(|| view! { <p class="lc-console__message" role="status">{format!("Added {}.", filter.added)}</p> });
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
                        <td><a href=describe aria-label=format!("Describe {}", sighting.name)>"Describe this cookie"</a></td>
                    </tr>
                }
            })
            .collect_view();
        let empty = names.is_empty();
        view! {
            <section aria-labelledby="undescribed-title">
                <h2 id="undescribed-title">"Seen but not described"</h2>
                <p>"Cookie names shoppers' browsers sent in the last 30 days that no entry describes (names only; ids in names shown as *)."</p>
                {if empty {
                    view! { <p>"None: every cookie seen is described."</p> }.into_any()
                } else {
                    view! {
                        <table class="lc-console__table">
                            <thead><tr><th scope="col">"Name"</th><th scope="col">"Requests"</th><th scope="col">"Action"</th></tr></thead>
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
            <h2 id="registry-title">"The registry"</h2>
            <p><a href=console.path("/cookies/new")>"Add a cookie"</a></p>
            <form class="lc-console__form" method="get" action=console.path("/cookies")>
                <div class="lc-console__field">
                    <label for="category">"Category"</label>
                    <select id="category" name="category">{category_options}</select>
                </div>
                <div class="lc-console__field">
                    <label for="party">"Party"</label>
                    <select id="party" name="party">{party_options}</select>
                </div>
                <button type="submit" class="lc-console__button">"Filter"</button>
            </form>
            <div class="lc-console__scroll">
                <table class="lc-console__table">
                    <caption>{format!("{} of {} entries", shown.len(), snapshot.entries().len())}</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Category"</th>
                            <th scope="col">"Party"</th>
                            <th scope="col">"Lifetime"</th>
                            <th scope="col">"Description (English)"</th>
                            <th scope="col">"Source"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
    .into_any();
    page::for_staff(&console, &signed_in, StatusCode::OK, "Cookies", body)
}

fn entry_row(console: &Console, signed_in: &SignedIn, entry: &CookieEntry) -> AnyView {
    let party = if entry.is_third_party {
        format!("third: {}", entry.third_party_author)
    } else {
        "first".to_owned()
    };
    let description = entry
        .text_for(1, "en")
        .map(|text| text.description.clone())
        .unwrap_or_default();
    let source = match entry.source {
        EntrySource::Native => view! { <td>"built in"</td> }.into_any(),
        EntrySource::Local { id } => view! {
            <td>
                <form method="post" action=console.path("/cookies/delete")>
                    <input type="hidden" name="csrf" value=signed_in.csrf.token.clone()/>
                    <input type="hidden" name="id" value=id.to_string()/>
                    <button type="submit" class="lc-console__button lc-console__button--danger" aria-label=format!("Delete {}", entry.name)>
                        "Delete"
                    </button>
                </form>
            </td>
        }
        .into_any(),
    };
    view! {
        <tr>
            <th scope="row">{entry.name.clone()}</th>
            <td>{entry.category.as_str()}</td>
            <td>{party}</td>
            <td>{entry.lifetime.to_string()}</td>
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
}

impl EntryForm {
    /// The entry the form describes, or the field at fault and why.
    fn entry(&self) -> Result<NewCookie, (&'static str, String)> {
        let category = Category::ALL
            .into_iter()
            .find(|c| c.as_str() == self.category)
            .ok_or(("category", "Choose a category.".to_owned()))?;
        let expire_days = match self.expire_days.trim() {
            "" => 0,
            days => days.parse().map_err(|_| {
                (
                    "expire_days",
                    format!("{days:?} is not a whole number of days."),
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

/// `GET /cookies/new?name=…`: the entry form, its name filled in from the scanner.
async fn new_form(
    State(console): State<Arc<Console>>,
    signed_in: SignedIn,
    Query(form): Query<EntryForm>,
) -> Response {
    if console.registry.is_none() {
        return super::not_found(&console, &signed_in);
    }
    let body = entry_form(&console, &signed_in, &form, None);
    page::for_staff(&console, &signed_in, StatusCode::OK, "Add a cookie", body)
}

/// `POST /cookies/new`: adds the entry, or shows the form again with the error next to its
/// field.
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
    let cookie = match form.entry() {
        Ok(cookie) => cookie,
        Err(error) => {
            let body = entry_form(&console, &signed_in, &form, Some(&error));
            return page::for_staff(
                &console,
                &signed_in,
                StatusCode::BAD_REQUEST,
                "Add a cookie",
                body,
            );
        }
    };
    match registry.create_local_cookie(&cookie).await {
        Ok(id) => {
            console
                .audit
                .record(
                    signed_in.staff.name(),
                    "add_cookie",
                    &format!("{} (id {id})", cookie.name),
                    1,
                )
                .await;
            let name = form_urlencoded::byte_serialize(cookie.name.as_bytes()).collect::<String>();
            Redirect::to(&format!("{}?added={name}", console.path("/cookies"))).into_response()
        }
        Err(RegistryError::Invalid(invalid)) => {
            let error = (invalid.field, invalid.problem);
            let body = entry_form(&console, &signed_in, &form, Some(&error));
            page::for_staff(
                &console,
                &signed_in,
                StatusCode::BAD_REQUEST,
                "Add a cookie",
                body,
            )
        }
        Err(RegistryError::Store(error)) => super::store_failure(&error),
        Err(error) => {
            let body = page::message(
                error.to_string(),
                Some((console.path("/cookies"), "Back to the cookies")),
            );
            page::for_staff(
                &console,
                &signed_in,
                StatusCode::BAD_REQUEST,
                "Add a cookie",
                body,
            )
        }
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
    let onwards = Some((console.path("/cookies"), "Back to the cookies"));
    let Ok(id) = form.id.parse::<i64>() else {
        let body = page::message("No such entry.".to_owned(), onwards);
        return page::for_staff(
            &console,
            &signed_in,
            StatusCode::BAD_REQUEST,
            "Cookies",
            body,
        );
    };
    match registry.delete_local_cookie(id).await {
        Ok(()) => {
            console
                .audit
                .record(
                    signed_in.staff.name(),
                    "delete_cookie",
                    &format!("id {id}"),
                    1,
                )
                .await;
            Redirect::to(&console.path("/cookies")).into_response()
        }
        Err(RegistryError::Store(error)) => super::store_failure(&error),
        Err(error) => {
            let body = page::message(error.to_string(), onwards);
            page::for_staff(&console, &signed_in, StatusCode::NOT_FOUND, "Cookies", body)
        }
    }
}

fn entry_form(
    console: &Console,
    signed_in: &SignedIn,
    form: &EntryForm,
    error: Option<&(&'static str, String)>,
) -> AnyView {
    let message_for = |field: &'static str| {
        error
            .filter(|(at, _)| *at == field)
            .map(|(_, message)| message.clone())
    };
    let text = |field: &'static str, label: &'static str, value: &str, kind: &'static str| {
        let message = message_for(field);
        let error_id = format!("{field}-error");
        let described = message.is_some().then(|| error_id.clone());
        let invalid = message.is_some().then_some("true");
        view! {
            <div class="lc-console__field">
                <label for=field>{label}</label>
                <input id=field name=field type=kind value=value.to_owned() aria-invalid=invalid aria-describedby=described/>
                {message.map(|message| view! { <p id=error_id class="lc-console__error">{message}</p> })}
            </div>
        }
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
    let category_message = message_for("category");
    let category_options = std::iter::once(("", "Choose…"))
        .chain(Category::ALL.map(|c| (c.as_str(), c.as_str())))
        .map(|(value, label)| {
            let selected = value == form.category;
            view! { <option value=value selected=selected>{label}</option> }
        })
        .collect_view();
    view! {
        <form class="lc-console__form" method="post" action=console.path("/cookies/new")>
            <input type="hidden" name="csrf" value=signed_in.csrf.token.clone()/>
            {text("name", "Name (a * stands for a random part)", &form.name, "text")}
            <div class="lc-console__field">
                <label for="category">"Category"</label>
                <select id="category" name="category" aria-describedby=category_message.is_some().then_some("category-error")>
                    {category_options}
                </select>
                {category_message.map(|message| view! { <p id="category-error" class="lc-console__error">{message}</p> })}
            </div>
            {text("expire_days", "Lifetime in days (0: until the browser closes)", &form.expire_days, "number")}
            {checkbox("permanent", "Never expires", form.permanent.is_some())}
            {checkbox("renewed", "Renewed on every visit", form.renewed.is_some())}
            {checkbox("is_third_party", "Set or read by a third party", form.is_third_party.is_some())}
            {text("third_party_author", "Third party (e.g. Google LLC)", &form.third_party_author, "text")}
            {area("description", "What it is for (English)", &form.description)}
            {area("description_da", "What it is for (Danish)", &form.description_da)}
            <button type="submit" class="lc-console__button">"Add the cookie"</button>
            <a href=console.path("/cookies")>"Cancel"</a>
        </form>
    }
    .into_any()
}
