//! One accrual's or manual adjustment's whole story for the console: the entry, its conversion,
//! the terms version and inputs it was computed from (or the adjustment's reason and author),
//! why, every decision, and the entries that follow it.

use super::*;
use crate::api::my_terms::terms_dto;
use crate::backend::ctx::Operator;
use crate::backend::errors::not_found_as;
use crate::backend::repos::{commission_detail, conversions, ledger, partners, programs, terms};
use crate::domain::commission::approval::State;
use crate::domain::commission::ledger::EntryKind;
use crate::domain::commission::Inputs;
use crate::domain::{format, money};
use diesel_async::AsyncPgConnection;

const MISSING: &str =
    "That commission doesn't exist. It may be an override or a reversal; open the commission it follows instead.";

pub async fn load(conn: &mut AsyncPgConnection, operator: &Operator, id: i64) -> Result<CommissionDetailDto, AppError> {
    let actor = operator.actor();
    let entry = ledger::get_in_scope(conn, &operator.scope, id)
        .await?
        .filter(|e| {
            matches!(
                EntryKind::parse(&e.kind),
                Some(EntryKind::Accrual | EntryKind::Adjustment)
            )
        })
        .ok_or_else(|| AppError::NotFound(MISSING.into()))?;
    let author = match entry.created_by {
        Some(user) => Some(crate::backend::repos::users::get(conn, user).await?.display_name),
        None => None,
    };
    let history = commission_detail::history(conn, id).await?;
    let latest = history
        .last()
        .and_then(|d| Some((d.seq, State::from_columns(&d.status, d.stage.as_deref())?)));
    let (seq, state) = latest.ok_or_else(|| crate::backend::errors::internal("a commission without decisions"))?;
    let (offered, adjustment) = super::build::offer(
        &entry.kind,
        state,
        actor,
        (entry.created_by, author, entry.reason.clone()),
    );
    let conversion = match entry.conversion_id {
        Some(cid) => Some(
            conversions::get(conn, cid)
                .await
                .map_err(|e| not_found_as(e, MISSING))?,
        ),
        None => None,
    };
    let terms = match entry.terms_version_id {
        Some(tid) => Some(terms_dto(&terms::get(conn, tid).await?)),
        None => None,
    };
    let m = |amount| money::format(amount, &entry.currency);
    let inputs = entry
        .inputs
        .clone()
        .and_then(|json| serde_json::from_value::<Inputs>(json).ok())
        .map(|i| i.facts(&entry.currency))
        .unwrap_or_default()
        .into_iter()
        .map(|(label, value)| (label.to_owned(), value))
        .collect();
    let derived = commission_detail::derived(conn, id)
        .await?
        .into_iter()
        .map(|d| DerivedDto {
            id: d.id,
            kind_label: EntryKind::parse(&d.kind).map_or(d.kind.clone(), |k| k.label().to_owned()),
            partner_name: d.partner_name,
            negative: d.amount.is_sign_negative() && !d.amount.is_zero(),
            amount: money::format(d.amount, &d.currency),
            created_at: format::datetime(d.created_at),
            explanation: d.explanation,
        })
        .collect();
    Ok(CommissionDetailDto {
        id,
        seq,
        state: state.columns().0.into(),
        state_label: state.label().into(),
        program_name: programs::get(conn, entry.program_id).await?.name,
        partner_name: partners::get(conn, entry.partner_id).await?.name,
        amount: m(entry.amount),
        created_at: format::datetime(entry.created_at),
        payable_at: format::date(entry.payable_at),
        explanation: entry.explanation.clone(),
        conversion: conversion.map(|c| ConversionFactsDto {
            amount: c.amount.map_or_else(
                || "—".into(),
                |a| money::format(a, c.currency.as_deref().unwrap_or(&entry.currency)),
            ),
            order_id: c.order_id,
            event: c.event,
            occurred_at: format::datetime(c.occurred_at),
            attribution: c.attribution,
            country: c.country.unwrap_or_else(|| "—".into()),
        }),
        terms,
        inputs,
        history: history
            .into_iter()
            .map(|d| DecisionLineDto {
                seq: d.seq,
                at: format::datetime(d.created_at),
                by: d.actor.unwrap_or_else(|| "Routing rules".into()),
                state_label: State::from_columns(&d.status, d.stage.as_deref())
                    .map_or(d.status.clone(), |s| s.label().to_owned()),
                reason: d.reason,
            })
            .collect(),
        derived,
        adjustment,
        offered,
    })
}
