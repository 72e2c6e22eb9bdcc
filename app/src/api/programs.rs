//! Public program information: the landing page list and the application form's header.

use super::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgramDto {
    pub name: String,
    pub brand: String,
    pub slug: String,
    pub currency: String,
    pub description: String,
    pub terms: String,
}

#[server(input = GetUrl)]
pub async fn open_programs() -> Result<Vec<ProgramDto>, AppError> {
    use crate::backend::{ctx, repos::programs};
    let mut conn = ctx::db().await?;
    let rows = programs::list_public(&mut conn).await?;
    Ok(rows.into_iter().map(|(p, brand)| to_dto(p, brand)).collect())
}

#[server(input = GetUrl)]
pub async fn program_by_slug(slug: String) -> Result<ProgramDto, AppError> {
    use crate::backend::{ctx, repos::programs};
    let mut conn = ctx::db().await?;
    programs::find_by_slug(&mut conn, &slug)
        .await?
        .filter(|(p, _)| p.is_open)
        .map(|(p, brand)| to_dto(p, brand))
        .ok_or_else(|| {
            AppError::NotFound("There is no open program at this address. Check the link you were given.".into())
        })
}

#[cfg(feature = "ssr")]
fn to_dto(p: crate::backend::repos::programs::ProgramRow, brand: String) -> ProgramDto {
    ProgramDto {
        name: p.name,
        brand,
        slug: p.slug,
        currency: p.currency,
        description: p.description,
        terms: p.terms,
    }
}
