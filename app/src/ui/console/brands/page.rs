//! One brand: its details (a form for admins), its logo (a file upload that works without
//! JavaScript) and its programs, with the way to create another.

use super::BrandFields;
use crate::api::brands::{brand_page, BrandPageDto, SaveBrand};
use crate::domain::admin::brand_form::LOGO_RULES;
use crate::ui::console::id_param;
use crate::ui::resource::resource;
use crate::ui::widgets::{load, ColorSwatch, CsrfField, EmptyState, FormError, Notice};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn BrandPage() -> impl IntoView {
    let save = ServerAction::<SaveBrand>::new();
    let page = resource(move || (id_param(), save.version().get()), |(id, _)| brand_page(id));
    let errors = Signal::derive(move || save.value().get().and_then(Result::err));
    let saved = move || matches!(save.value().get(), Some(Ok(())));
    view! {
        <Title text="Brand" />
        <p>
            <a href="/console/brands">"← All brands"</a>
        </p>
        {load(
            page,
            move |d: BrandPageDto| {
                let brand = d.brand.clone();
                view! {
                    <header class="brand-header">
                        {brand
                            .logo_url
                            .clone()
                            .map(|src| view! { <img class="brand-logo" src=src alt=format!("{} logo", brand.name) /> })}
                        <h1>{brand.name.clone()}</h1>
                        <span class="muted brand-color">
                            <ColorSwatch color=brand.primary_color.clone() size=16 />
                            {brand.primary_color.clone()}
                        </span>
                    </header>
                    <Show when=saved>
                        <Notice>"Brand saved."</Notice>
                    </Show>
                    <Programs d=d.clone() />
                    {d
                        .can_manage
                        .then(|| {
                            view! {
                                <LogoForm d=d.clone() />
                                <section class="panel" aria-labelledby="brand-details">
                                    <h2 id="brand-details">"Details"</h2>
                                    <FormError errors />
                                    <ActionForm action=save>
                                        <div class="stack">
                                            <CsrfField />
                                            <input type="hidden" name="id" value=brand.id.to_string() />
                                            <BrandFields brand=Some(brand.clone()) errors />
                                            <button type="submit" class="button">
                                                "Save brand"
                                            </button>
                                        </div>
                                    </ActionForm>
                                </section>
                            }
                        })}
                }
            },
        )}
    }
}

#[component]
fn Programs(d: BrandPageDto) -> impl IntoView {
    let new_href = format!("/console/programs/new?brand={}", d.brand.id);
    view! {
        <section class="panel" aria-labelledby="brand-programs">
            <h2 id="brand-programs">"Programs"</h2>
            {if d.programs.is_empty() {
                view! {
                    <EmptyState title="No programs yet">
                        <p>"Create the brand's first program: partners can apply as soon as it exists."</p>
                    </EmptyState>
                }
                    .into_any()
            } else {
                view! {
                    <ul class="plain-list">
                        {d
                            .programs
                            .iter()
                            .map(|(id, name, slug)| {
                                view! {
                                    <li>
                                        <a href=format!("/console/programs/{id}")>{name.clone()}</a>
                                        " · "
                                        <span class="code">{format!("/join/{slug}")}</span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
            {d
                .can_manage
                .then(|| {
                    view! {
                        <p>
                            <a class="button secondary" href=new_href.clone()>
                                "Create a program"
                            </a>
                        </p>
                    }
                })}
        </section>
    }
}

/// A plain multipart form: the upload handler answers with a redirect back here, leaving a
/// message or the refusal in the session.
#[component]
fn LogoForm(d: BrandPageDto) -> impl IntoView {
    let error = d.logo_error.map(|e| {
        e.field_errors()
            .and_then(|f| f.get("logo").map(str::to_owned))
            .unwrap_or_else(|| e.to_string())
    });
    let has_error = error.is_some();
    view! {
        <section class="panel" aria-labelledby="brand-logo">
            <h2 id="brand-logo">"Logo"</h2>
            <form
                method="post"
                enctype="multipart/form-data"
                action=format!("/console/brands/{}/logo", d.brand.id)
                class="stack"
            >
                <CsrfField />
                <div class="field" class:has-error=has_error>
                    <label for="field-logo">"Logo image"</label>
                    <input
                        id="field-logo"
                        type="file"
                        name="logo"
                        accept="image/png,image/jpeg,image/webp"
                        required=true
                        aria-describedby="logo-hint"
                        aria-invalid=has_error.to_string()
                    />
                    <p class="hint" id="logo-hint">
                        {LOGO_RULES}
                        " It appears in the portal header, on join pages and in emails."
                    </p>
                    {error.map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
                </div>
                <button type="submit" class="button secondary">
                    {if d.brand.logo_url.is_some() { "Replace logo" } else { "Upload logo" }}
                </button>
            </form>
        </section>
    }
}
