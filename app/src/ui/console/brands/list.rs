//! Every brand the operator may see, and (for admins who see every brand) a form for a new one.

use super::BrandFields;
use crate::api::brands::{brand_list, BrandsDto, CreateBrand};
use crate::ui::resource::resource;
use crate::ui::widgets::{load, ColorSwatch, CsrfField, EmptyState, FormError};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn Brands() -> impl IntoView {
    let create = ServerAction::<CreateBrand>::new();
    let brands = resource(move || create.version().get(), |_| brand_list());
    let errors = Signal::derive(move || create.value().get().and_then(Result::err));
    view! {
        <Title text="Brands" />
        <h1>"Brands"</h1>
        <p class="lead">
            "A brand is a name partners know you by. Each program belongs to one brand, and its portal, join page and emails carry the brand's name, logo and colour."
        </p>
        {load(
            brands,
            move |d: BrandsDto| {
                let can_create = d.can_create;
                view! {
                    <BrandTable d />
                    {can_create
                        .then(|| {
                            view! {
                                <section class="panel" aria-labelledby="new-brand">
                                    <h2 id="new-brand">"Add a brand"</h2>
                                    <FormError errors />
                                    <ActionForm action=create>
                                        <div class="stack">
                                            <CsrfField />
                                            <BrandFields brand=None errors />
                                            <button type="submit" class="button">
                                                "Add brand"
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
fn BrandTable(d: BrandsDto) -> impl IntoView {
    if d.brands.is_empty() {
        return view! {
            <EmptyState title="No brands yet">
                <p>"Add your first brand below; then create its first program."</p>
            </EmptyState>
        }
        .into_any();
    }
    view! {
        <div class="table-wrap">
            <table>
                <caption class="sr-only">"Brands"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Brand"</th>
                        <th scope="col">"Legal entity"</th>
                        <th scope="col">"Country"</th>
                        <th scope="col">"Currency"</th>
                        <th scope="col" class="num">
                            "Programs"
                        </th>
                    </tr>
                </thead>
                <tbody>
                    {d
                        .brands
                        .into_iter()
                        .map(|b| {
                            view! {
                                <tr>
                                    <td>
                                        <a class="row-link brand-cell" href=format!("/console/brands/{}", b.id)>
                                            <ColorSwatch color=b.primary_color.clone() />
                                            <strong>{b.name.clone()}</strong>
                                        </a>
                                    </td>
                                    <td>{b.legal_name.clone()}</td>
                                    <td>{crate::domain::country::name(&b.country).unwrap_or_default()}</td>
                                    <td>{b.default_currency.clone()}</td>
                                    <td class="num">{b.program_count}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
