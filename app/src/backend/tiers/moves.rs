//! Moving a partner between tiers, whoever does it (the evaluation or an operator's lock): the
//! membership's tier, the commission terms the tier pays, the history row, the audit event and
//! the partner's email, in the caller's transaction.

use crate::api::error::AppError;
use crate::backend::auth::AuthUser;
use crate::backend::partner_mail;
use crate::backend::repos::audit::{self, Actor, NewEvent};
use crate::backend::repos::programs::ProgramRow;
use crate::backend::repos::terms::{self, NewTerms};
use crate::backend::repos::tiers::{self, NewChange};
use crate::backend::repos::{partners, plans, programs};
use crate::domain::tiers::{emails, Ladder};
use diesel_async::AsyncPgConnection;
use time::OffsetDateTime;

/// Who moves partners, in which program, and when.
pub struct Mover<'a> {
    pub program: ProgramRow,
    pub ladder: Ladder,
    pub default_plan_id: Option<i64>,
    pub actor: Actor,
    /// The operator, or `None` for the evaluation.
    pub actor_id: Option<i64>,
    pub request_id: Option<&'a str>,
    pub base_url: &'a str,
    pub now: OffsetDateTime,
}

/// One move: from the tier held to place `to` (`None`: no tier).
pub struct Move<'a> {
    pub partner_id: i64,
    pub from: Option<&'a str>,
    pub to: Option<usize>,
    pub kind: &'static str,
    pub reason: &'a str,
    /// Tell the partner (placing a partner on the entry tier is not news).
    pub email: bool,
}

impl<'a> Mover<'a> {
    /// The program's mover: its ladder and default plan, and who acts (`None`: the evaluation).
    /// Takes the program's lock first, so the evaluation, an operator's lock and unlock, and a
    /// ladder save take turns: each reads the tiers the one before it wrote.
    pub async fn load(
        conn: &mut AsyncPgConnection,
        program_id: i64,
        by: Option<&AuthUser>,
        request_id: Option<&'a str>,
        base_url: &'a str,
        now: OffsetDateTime,
    ) -> Result<Self, AppError> {
        programs::lock(conn, program_id).await?;
        Ok(Self {
            program: programs::get(conn, program_id).await?,
            ladder: tiers::ladder(conn, program_id).await?,
            default_plan_id: plans::default_plan_id(conn, program_id).await?,
            actor: by.map_or_else(|| Actor::system("tier evaluation"), AuthUser::actor),
            actor_id: by.map(|u| u.id),
            request_id,
            base_url,
            now,
        })
    }

    fn tier_name(&self, place: Option<usize>) -> Option<&str> {
        place.map(|p| self.ladder.tiers[p].name.as_str())
    }

    /// Moves the partner and returns the terms version written, if the tier's plan changed them.
    pub async fn apply(&self, conn: &AsyncPgConnection, mv: &Move<'_>) -> Result<Option<i64>, AppError> {
        let to_name = self.tier_name(mv.to);
        tiers::set_tier(conn, self.program.id, mv.partner_id, to_name, self.now).await?;
        let terms = self.retier_terms(conn, mv).await?;
        tiers::record(
            conn,
            NewChange {
                program_id: self.program.id,
                partner_id: mv.partner_id,
                kind: mv.kind,
                from_tier: mv.from,
                to_tier: to_name,
                reason: mv.reason,
                actor_id: self.actor_id,
                terms_id: terms.as_ref().map(|(id, _)| *id),
            },
            self.now,
        )
        .await?;
        self.audit(
            conn,
            mv.partner_id,
            &format!("tier.{}", mv.kind),
            mv.from,
            to_name,
            mv.reason,
        )
        .await?;
        if mv.email {
            let partner = partners::get(conn, mv.partner_id).await?;
            let plan = terms.as_ref().map(|(_, lines)| lines.as_slice());
            let url = format!("{}/portal", self.base_url);
            let (program, name) = (&self.program.name, &partner.name);
            let content = match (mv.kind, to_name) {
                ("promoted", Some(to)) => emails::promoted(name, program, to, plan, &url),
                ("demoted", _) => emails::demoted(name, program, mv.from.unwrap_or("your tier"), to_name, plan, &url),
                // A lock or a tier that left the ladder: not the partner's figures, so no
                // congratulations and no grace period to speak of.
                ("locked", _) => emails::changed(name, program, to_name, "The program set your tier.", plan, &url),
                _ => emails::changed(
                    name,
                    program,
                    to_name,
                    "Your earlier tier is no longer offered.",
                    plan,
                    &url,
                ),
            };
            partner_mail::to_loaded(conn, &partner, &content).await?;
        }
        Ok(terms.map(|(id, _)| id))
    }

    /// Records a grace-period event (a warning or a recovery), which moves nobody.
    pub async fn record(
        &self,
        conn: &AsyncPgConnection,
        partner_id: i64,
        kind: &'static str,
        from: Option<&str>,
        to: Option<&str>,
        reason: &str,
    ) -> Result<(), AppError> {
        tiers::record(
            conn,
            NewChange {
                program_id: self.program.id,
                partner_id,
                kind,
                from_tier: from,
                to_tier: to,
                reason,
                actor_id: self.actor_id,
                terms_id: None,
            },
            self.now,
        )
        .await?;
        self.audit(conn, partner_id, &format!("tier.{kind}"), from, to, reason)
            .await
    }

    async fn audit(
        &self,
        conn: &AsyncPgConnection,
        partner_id: i64,
        action: &str,
        from: Option<&str>,
        to: Option<&str>,
        reason: &str,
    ) -> Result<(), AppError> {
        audit::record(
            conn,
            NewEvent {
                actor: &self.actor,
                action,
                subject_type: "membership",
                subject_id: format!("{}:{partner_id}", self.program.id),
                before: Some(serde_json::json!({ "tier": from })),
                after: Some(serde_json::json!({ "tier": to, "reason": reason })),
                request_id: self.request_id,
            },
        )
        .await?;
        Ok(())
    }

    /// The terms the move puts in force (`terms::for_move`), as a new terms version.
    async fn retier_terms(
        &self,
        conn: &AsyncPgConnection,
        mv: &Move<'_>,
    ) -> Result<Option<(i64, Vec<String>)>, AppError> {
        let target = super::terms::for_move(
            conn,
            &self.ladder,
            self.program.id,
            mv.partner_id,
            mv.to,
            self.default_plan_id,
            self.now,
        )
        .await?;
        let Some((plan_id, overrides)) = target else {
            return Ok(None);
        };
        let plan = plans::get(conn, self.program.id, plan_id)
            .await?
            .ok_or_else(|| AppError::Conflict("The tier's commission plan is gone; save the tiers again.".into()))?;
        let reason = format!(
            "Tier change: {} to {}. {}",
            mv.from.unwrap_or("no tier"),
            self.tier_name(mv.to).unwrap_or("no tier"),
            mv.reason
        );
        let reason: String = reason.chars().take(500).collect();
        let id = terms::insert(
            conn,
            &NewTerms {
                program_id: self.program.id,
                partner_id: mv.partner_id,
                plan_id,
                overrides: overrides.clone(),
                effective_from: self.now,
                author_id: self.actor_id,
                reason: &reason,
            },
            self.now,
        )
        .await?;
        let summary = crate::backend::commissions::accrue::effective_plan(&plan.definition, &overrides)?.describe();
        Ok(Some((id, summary)))
    }
}
