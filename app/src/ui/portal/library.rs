//! The partner's library: sales decks, price lists, battle cards, case studies and brand kits
//! from its programs. Folders to browse and a search box (plain GET links and form, so both
//! work without JavaScript); each document downloads as its latest version.

use crate::api::library::{my_library, LibraryDocumentDto, LibraryFolderDto, MyLibraryDto};
use crate::ui::params::query_param;
use crate::ui::resource::resource;
use crate::ui::widgets::{load, EmptyState};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Library() -> impl IntoView {
    let filters = move || {
        (
            query_param("q").filter(|q| !q.trim().is_empty()),
            query_param("folder").and_then(|f| f.parse::<i64>().ok()),
        )
    };
    let data = resource(filters, |(q, folder)| my_library(q, folder));
    view! {
        <Title text="Library" />
        <h1>"Library"</h1>
        {load(
            data,
            move |d: MyLibraryDto| {
                let (q, folder) = filters();
                view! { <LibraryView d q folder /> }.into_any()
            },
        )}
    }
}

#[component]
fn LibraryView(d: MyLibraryDto, q: Option<String>, folder: Option<i64>) -> impl IntoView {
    if d.total == 0 {
        return view! {
            <EmptyState title="Nothing in your library yet">
                <p>
                    "Your programs' sales decks, price lists, battle cards and brand kits appear here once they share them with you. Some documents open up as you move up a tier or get certified: see "
                    <a href="/portal/training">"Training"</a>"."
                </p>
            </EmptyState>
        }
        .into_any();
    }
    let heading = match (&q, folder) {
        (Some(q), _) => format!("Documents matching “{q}”"),
        (None, Some(id)) => d
            .folders
            .iter()
            .find(|f| f.id == id)
            .map_or_else(|| "Documents".to_owned(), |f| f.name.clone()),
        (None, None) => "All documents".to_owned(),
    };
    view! {
        <form method="get" action="/portal/library" class="filters" role="search" aria-label="Search the library">
            <div class="field">
                <label for="library-q">"Search"</label>
                <input
                    id="library-q"
                    type="search"
                    name="q"
                    value=q.clone().unwrap_or_default()
                    maxlength="200"
                    placeholder="price list, battle card …"
                />
            </div>
            {folder.map(|f| view! { <input type="hidden" name="folder" value=f.to_string() /> })}
            <button type="submit" class="button secondary">
                "Search"
            </button>
        </form>
        <div class="library">
            <Folders folders=d.folders.clone() current=folder total=d.total />
            <section aria-labelledby="library-results">
                <h2 id="library-results">{heading}</h2>
                {if d.documents.is_empty() {
                    view! {
                        <EmptyState title="Nothing matches">
                            <p>
                                "Try other words, or " <a href="/portal/library">"browse every document"</a> "."
                            </p>
                        </EmptyState>
                    }
                        .into_any()
                } else {
                    view! {
                        <ul class="documents">
                            {d.documents.into_iter().map(|doc| view! { <DocumentCard doc /> }).collect_view()}
                        </ul>
                    }
                        .into_any()
                }}
            </section>
        </div>
    }
    .into_any()
}

#[component]
fn Folders(folders: Vec<LibraryFolderDto>, current: Option<i64>, total: usize) -> impl IntoView {
    view! {
        <nav class="folders" aria-label="Folders">
            <h2>"Folders"</h2>
            <ul>
                <li>
                    <a href="/portal/library" aria-current=current.is_none().then_some("page")>
                        {format!("All documents ({total})")}
                    </a>
                </li>
                {folders
                    .into_iter()
                    .map(|f| {
                        view! {
                            <li>
                                <a
                                    href=format!("/portal/library?folder={}", f.id)
                                    aria-current=(current == Some(f.id)).then_some("page")
                                >
                                    {format!("{} ({})", f.name, f.documents)}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}

#[component]
fn DocumentCard(doc: LibraryDocumentDto) -> impl IntoView {
    view! {
        <li class="document panel">
            <h3>{doc.title.clone()}</h3>
            {(!doc.description.is_empty()).then(|| view! { <p>{doc.description.clone()}</p> })}
            <p class="muted">
                {format!("{} · {} · version {}, {}", doc.folder, doc.file, doc.version, doc.updated)}
            </p>
            {(!doc.tags.is_empty()).then(|| view! { <div class="tags">{doc.tags.join(", ")}</div> })}
            <a
                class="button secondary"
                href=doc.download_path.clone()
                download=""
                rel="external"
                aria-label=format!("Download {}", doc.title)
            >
                "Download"
            </a>
        </li>
    }
}
