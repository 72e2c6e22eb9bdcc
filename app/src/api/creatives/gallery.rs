//! The partner's gallery: every live creative it may see, filtered by kind, size and tag, each
//! with its code already holding the partner's own tracked link.

use crate::api::error::AppError;
use crate::domain::creatives::CreativeKind;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CodeDto {
    pub html: String,
    pub markdown: String,
    pub url: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GalleryItemDto {
    pub id: i64,
    pub kind: CreativeKind,
    pub name: String,
    pub program_name: String,
    pub thumb_url: Option<String>,
    pub size: Option<String>,
    pub tags: Vec<String>,
    /// Link text, copy, the post or the video address (the email swipe shows as code only).
    pub text: String,
    /// `None` when the partner has no working link in the program yet.
    pub code: Option<CodeDto>,
    pub download_url: Option<String>,
}

/// Creatives on one page of the gallery.
pub const PAGE_SIZE: usize = 24;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GalleryDto {
    /// This page's creatives.
    pub items: Vec<GalleryItemDto>,
    /// How many the partner may see before filtering (0: the empty state, not "no match").
    pub total: usize,
    /// How many match the filters, over every page.
    pub matched: usize,
    pub page: i64,
    pub page_count: i64,
    pub kinds: Vec<CreativeKind>,
    pub sizes: Vec<String>,
    pub tags: Vec<String>,
}

/// `kind`, `size` and `tag` narrow the list (empty means any); `page` counts from 1.
#[server(input = GetUrl)]
pub async fn my_creatives(
    #[server(default)] kind: String,
    #[server(default)] size: String,
    #[server(default)] tag: String,
    #[server(default)] page: i64,
) -> Result<GalleryDto, AppError> {
    use crate::backend::ctx;
    use crate::backend::repos::{creatives, links};
    let me = ctx::require_partner().await?;
    let base_url = ctx::state()?.settings.base_url.clone();
    let mut conn = ctx::db().await?;
    let visible = creatives::visible_to_partner(&mut conn, me.partner_id, ctx::now()).await?;
    // The link each creative's code goes through: the partner's default link in its program, or
    // its newest working one.
    let partner_links = links::for_partner(&mut conn, me.partner_id, None).await?;
    let link_url = |program_id: i64| {
        partner_links
            .iter()
            .find(|(link, ..)| link.program_id == program_id && link.disabled_at.is_none())
            .map(|(link, ..)| format!("{base_url}/r/{}", link.code))
    };
    let filters = build::Filters {
        kind: &kind,
        size: &size,
        tag: &tag,
    };
    Ok(build::gallery(&visible, &filters, page, |c| {
        build::item(c, link_url(c.creative.program_id).as_deref(), &base_url)
    }))
}

#[cfg(feature = "ssr")]
mod build {
    use super::*;
    use crate::backend::repos::creatives::PartnerCreative;
    use crate::domain::creatives::code::{code_for, tracked_url, with_link, CreativeForCode};

    pub fn item(c: &PartnerCreative, link_url: Option<&str>, base_url: &str) -> GalleryItemDto {
        let row = &c.creative;
        let kind = CreativeKind::parse(&row.kind).unwrap_or(CreativeKind::Text);
        let image = match (&row.image_sha256, &row.image_type, row.width, row.height) {
            (Some(sha), Some(content_type), Some(w), Some(h)) => Some((
                format!("{base_url}{}", super::super::file_path(sha, content_type)),
                w,
                h,
            )),
            _ => None,
        };
        let code = link_url.map(|link| {
            let code = code_for(
                &CreativeForCode {
                    kind,
                    name: &row.name,
                    body: &row.body,
                    alt_text: &row.alt_text,
                    image: image.as_ref().map(|(src, w, h)| (src.as_str(), *w, *h)),
                },
                &tracked_url(link, row.id),
            );
            CodeDto {
                html: code.html,
                markdown: code.markdown,
                url: code.url,
            }
        });
        GalleryItemDto {
            id: row.id,
            kind,
            name: row.name.clone(),
            program_name: c.program_name.clone(),
            thumb_url: row
                .thumb_sha256
                .as_deref()
                .map(|sha| super::super::file_path(sha, "image/png")),
            size: super::super::console::build::size(row),
            tags: row.tags.clone(),
            // The post as it will read: with the partner's link where the program put `{link}`.
            text: match (kind, &code) {
                (CreativeKind::Email, _) => String::new(),
                (CreativeKind::Social, Some(code)) => with_link(&row.body, &code.url),
                _ => row.body.clone(),
            },
            code,
            download_url: row
                .image_sha256
                .is_some()
                .then(|| format!("/portal/creatives/{}/download", row.id)),
        }
    }

    pub struct Filters<'a> {
        pub kind: &'a str,
        pub size: &'a str,
        pub tag: &'a str,
    }

    /// The filter choices from every visible creative, and one page of those that match, with
    /// their code made for that page only.
    pub fn gallery(
        visible: &[PartnerCreative],
        filters: &Filters,
        page: i64,
        item: impl Fn(&PartnerCreative) -> GalleryItemDto,
    ) -> GalleryDto {
        use std::collections::BTreeSet;
        let kinds: BTreeSet<usize> = visible
            .iter()
            .filter_map(|c| CreativeKind::ALL.iter().position(|k| k.as_str() == c.creative.kind))
            .collect();
        let sizes: BTreeSet<String> = visible
            .iter()
            .filter_map(|c| super::super::console::build::size(&c.creative))
            .collect();
        let tags: BTreeSet<&String> = visible.iter().flat_map(|c| c.creative.tags.iter()).collect();
        let matching: Vec<&PartnerCreative> = visible
            .iter()
            .filter(|c| filters.kind.is_empty() || c.creative.kind == filters.kind)
            .filter(|c| {
                filters.size.is_empty()
                    || super::super::console::build::size(&c.creative).as_deref() == Some(filters.size)
            })
            .filter(|c| filters.tag.is_empty() || c.creative.tags.iter().any(|t| t == filters.tag))
            .collect();
        let page_count = matching.len().div_ceil(PAGE_SIZE).max(1) as i64;
        let page = page.clamp(1, page_count);
        let items = matching
            .iter()
            .skip((page as usize - 1) * PAGE_SIZE)
            .take(PAGE_SIZE)
            .map(|c| item(c))
            .collect();
        GalleryDto {
            items,
            total: visible.len(),
            matched: matching.len(),
            page,
            page_count,
            kinds: kinds.into_iter().map(|i| CreativeKind::ALL[i]).collect(),
            sizes: sizes.into_iter().collect(),
            tags: tags.into_iter().cloned().collect(),
        }
    }
}
