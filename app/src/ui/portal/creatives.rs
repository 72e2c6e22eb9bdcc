//! The partner's creative gallery: filter by kind, size and tag (a plain GET form), preview each
//! creative, and "Get code": HTML, Markdown and the bare URL, each with the partner's own tracked
//! link. The code opens in a `<details>` and copies with a button, or by selecting it without
//! JavaScript.

use crate::api::creatives::{my_creatives, CodeDto, GalleryDto, GalleryItemDto};
use crate::domain::creatives::CreativeKind;
use crate::ui::params::query_param;
use crate::ui::resource::resource;
use crate::ui::widgets::{load, EmptyState, Pager};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Creatives() -> impl IntoView {
    let filters = move || {
        (
            query_param("kind").unwrap_or_default(),
            query_param("size").unwrap_or_default(),
            query_param("tag").unwrap_or_default(),
            query_param("page").and_then(|p| p.parse::<i64>().ok()).unwrap_or(1),
        )
    };
    let data = resource(filters, |(kind, size, tag, page)| my_creatives(kind, size, tag, page));
    view! {
        <Title text="Creatives" />
        <h1>"Creatives"</h1>
        <p>
            <a href="/portal/material">"Your own ads, pages and posts: submit them for approval →"</a>
        </p>
        {load(data, move |d: GalleryDto| view! { <Gallery d filters=filters() /> }.into_any())}
    }
}

#[component]
fn Gallery(d: GalleryDto, filters: (String, String, String, i64)) -> impl IntoView {
    if d.total == 0 {
        return view! {
            <EmptyState title="No creatives yet">
                <p>
                    "Your programs' banners, text links and posts appear here, each with your own tracked link built in. None has been shared with you yet. Meanwhile, your "
                    <a href="/portal/links">"tracked links"</a>" work anywhere."
                </p>
            </EmptyState>
        }
        .into_any();
    }
    let (kind, size, tag, _) = filters;
    view! {
        <form method="get" action="/portal/creatives" class="filters" aria-label="Filter creatives">
            <div class="field">
                <label for="filter-kind">"Kind"</label>
                <select id="filter-kind" name="kind">
                    <option value="">"Any kind"</option>
                    {d
                        .kinds
                        .iter()
                        .map(|k| view! { <option value=k.as_str() selected=kind == k.as_str()>{k.label()}</option> })
                        .collect_view()}
                </select>
            </div>
            <FilterSelect id="filter-size" name="size" label="Size" any="Any size" options=d.sizes.clone() chosen=size />
            <FilterSelect id="filter-tag" name="tag" label="Tag" any="Any tag" options=d.tags.clone() chosen=tag />
            <button type="submit" class="button secondary">
                "Filter"
            </button>
        </form>
        <p class="muted" aria-live="polite">{format!("{} of {} creatives match", d.matched, d.total)}</p>
        {if d.items.is_empty() {
            view! {
                <EmptyState title="Nothing matches these filters">
                    <p>
                        <a href="/portal/creatives">"Show every creative"</a>
                    </p>
                </EmptyState>
            }
                .into_any()
        } else {
            view! {
                <ul class="gallery">
                    {d.items.into_iter().map(|item| view! { <Card item /> }).collect_view()}
                </ul>
                {(d.page_count > 1)
                    .then(|| view! { <Pager page=d.page page_count=d.page_count total=d.matched as i64 /> })}
            }
                .into_any()
        }}
    }
    .into_any()
}

#[component]
fn FilterSelect(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    any: &'static str,
    options: Vec<String>,
    chosen: String,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id name=name>
                <option value="">{any}</option>
                {options
                    .into_iter()
                    .map(|o| {
                        let selected = o == chosen;
                        view! {
                            <option value=o.clone() selected=selected>
                                {o.clone()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

#[component]
fn Card(item: GalleryItemDto) -> impl IntoView {
    let heading_id = format!("creative-{}", item.id);
    let labelled_by = heading_id.clone();
    view! {
        <li class="gallery-card" aria-labelledby=labelled_by>
            <div class="gallery-preview">
                {match (&item.thumb_url, item.kind) {
                    (Some(src), _) => view! { <img src=src.clone() alt=format!("Preview of {}", item.name) loading="lazy" /> }.into_any(),
                    (None, CreativeKind::Email) => view! { <p class="muted">"HTML email: see the code"</p> }.into_any(),
                    (None, _) => view! { <p class="preview-text">{item.text.clone()}</p> }.into_any(),
                }}
            </div>
            <h2 id=heading_id class="gallery-title">{item.name.clone()}</h2>
            <p class="muted">
                {item.kind.label()}
                {item.size.clone().map(|s| format!(" · {s}"))}
                {format!(" · {}", item.program_name)}
            </p>
            {(!item.tags.is_empty()).then(|| view! { <p class="tags">{item.tags.join(", ")}</p> })}
            {match item.code.clone() {
                Some(code) => view! { <GetCode id=item.id name=item.name.clone() code /> }.into_any(),
                None => {
                    view! {
                        <p class="muted">
                            "You have no working link in this program yet. "
                            <a href="/portal/links">"Make a link"</a>
                            " and the code appears here."
                        </p>
                    }
                        .into_any()
                }
            }}
            {item
                .download_url
                .clone()
                .map(|href| view! { <a href=href class="button secondary" download="">"Download original"</a> })}
        </li>
    }
}

#[component]
fn GetCode(id: i64, name: String, code: CodeDto) -> impl IntoView {
    let CodeDto { html, markdown, url } = code;
    view! {
        <details class="get-code">
            <summary>"Get code"</summary>
            <CodeBox id=format!("code-html-{id}") label="HTML" text=html name=name.clone() rows=4 />
            <CodeBox id=format!("code-md-{id}") label="Markdown" text=markdown name=name.clone() rows=2 />
            <CodeBox id=format!("code-url-{id}") label="Link" text=url name rows=1 />
        </details>
    }
}

#[component]
fn CodeBox(id: String, label: &'static str, text: String, name: String, rows: u32) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id.clone()>{format!("{label} for {name}")}</label>
            <div class="copy-row">
                <textarea id=id readonly rows=rows class="code">
                    {text.clone()}
                </textarea>
                <button type="button" class="button secondary" data-copy=text aria-label=format!("Copy {label} for {name}")>
                    "Copy"
                </button>
            </div>
        </div>
    }
}
