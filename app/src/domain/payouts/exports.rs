//! The approved run as files for the payment providers that take email addresses (PayPal
//! Payouts and Wise batch payments) and as a generic CSV for any other way of paying. None of
//! them holds an account number: the generic file shows the last four only. (The bank file,
//! the one place full numbers appear, is `sepa`.)

use super::masked;
use crate::domain::csv::record;
use rust_decimal::Decimal;

/// One item, as the exports need it.
#[derive(Clone, Debug)]
pub struct ExportItem {
    pub reference: String,
    pub partner_name: String,
    pub brand_name: String,
    pub currency: String,
    pub amount: Decimal,
    pub kind: String,
    pub email: Option<String>,
    pub account_last4: Option<String>,
    pub bank_code: Option<String>,
    pub entries: i32,
    pub status: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    PayPal,
    Wise,
    Generic,
}

impl Format {
    pub const ALL: [Format; 3] = [Self::PayPal, Self::Wise, Self::Generic];

    pub fn slug(self) -> &'static str {
        match self {
            Self::PayPal => "paypal",
            Self::Wise => "wise",
            Self::Generic => "generic",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.slug() == value)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::PayPal => "PayPal Payouts batch (CSV)",
            Self::Wise => "Wise batch payment (CSV)",
            Self::Generic => "Every item (CSV)",
        }
    }

    /// Which items the file carries.
    fn takes(self, item: &ExportItem) -> bool {
        match self {
            Self::PayPal => item.kind == "paypal",
            Self::Wise => item.kind == "wise",
            Self::Generic => true,
        }
    }
}

fn amount(value: Decimal) -> String {
    format!("{:.2}", value.round_dp(2))
}

/// The file in `format` for the open items among `items`, and how many rows it has.
pub fn csv(format: Format, items: &[ExportItem]) -> (String, usize) {
    let chosen: Vec<&ExportItem> = items
        .iter()
        .filter(|i| format.takes(i) && (format == Format::Generic || i.status == "open"))
        .collect();
    let mut out = String::new();
    match format {
        // The columns of PayPal's Payouts web upload template.
        Format::PayPal => {
            out.push_str(&record(&[
                "Email/Phone",
                "Amount",
                "Currency code",
                "Reference ID",
                "Note to recipient",
                "Recipient wallet",
            ]));
            for i in &chosen {
                let note = format!("{} partner payout {}", i.brand_name, i.reference);
                let email = i.email.clone().unwrap_or_default();
                out.push_str(&record(&[
                    email.as_str(),
                    &amount(i.amount),
                    &i.currency,
                    &i.reference,
                    &note,
                    "PayPal",
                ]));
            }
        }
        // The columns of Wise's batch payment template for email recipients.
        Format::Wise => {
            out.push_str(&record(&[
                "name",
                "recipientEmail",
                "paymentReference",
                "receiverType",
                "amountCurrency",
                "amount",
                "sourceCurrency",
                "targetCurrency",
            ]));
            for i in &chosen {
                let email = i.email.clone().unwrap_or_default();
                out.push_str(&record(&[
                    i.partner_name.as_str(),
                    &email,
                    &i.reference,
                    "BUSINESS",
                    "target",
                    &amount(i.amount),
                    &i.currency,
                    &i.currency,
                ]));
            }
        }
        Format::Generic => {
            out.push_str(&record(&[
                "reference",
                "partner",
                "brand",
                "currency",
                "amount",
                "method",
                "account",
                "bank_code",
                "email",
                "entries",
                "status",
            ]));
            for i in &chosen {
                let account = i.account_last4.as_deref().map(masked).unwrap_or_default();
                out.push_str(&record(&[
                    i.reference.as_str(),
                    &i.partner_name,
                    &i.brand_name,
                    &i.currency,
                    &amount(i.amount),
                    &i.kind,
                    &account,
                    i.bank_code.as_deref().unwrap_or_default(),
                    i.email.as_deref().unwrap_or_default(),
                    &i.entries.to_string(),
                    &i.status,
                ]));
            }
        }
    }
    (out, chosen.len())
}

/// One US person's paid total in a calendar year, for 1099-NEC preparation.
#[derive(Clone, Debug)]
pub struct YearEndRow {
    pub partner_name: String,
    pub legal_name: String,
    pub entity_type: String,
    pub tin_last4: Option<String>,
    pub address: String,
    pub paid: Decimal,
    pub payments: i64,
}

/// The year-end CSV: the TIN masked, as every export but the bank file.
pub fn year_end_csv(year: i32, rows: &[YearEndRow]) -> String {
    let mut out = record(&[
        "year",
        "partner",
        "legal_name",
        "entity_type",
        "tin",
        "address",
        "paid_usd",
        "payments",
    ]);
    for r in rows {
        let tin = r.tin_last4.as_deref().map(masked).unwrap_or_default();
        out.push_str(&record(&[
            year.to_string().as_str(),
            &r.partner_name,
            &r.legal_name,
            &r.entity_type,
            &tin,
            &r.address,
            &amount(r.paid),
            &r.payments.to_string(),
        ]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(reference: &str, kind: &str, email: Option<&str>, last4: Option<&str>) -> ExportItem {
        ExportItem {
            reference: reference.into(),
            partner_name: "Lumen, Media".into(),
            brand_name: "Northwind".into(),
            currency: "EUR".into(),
            amount: Decimal::new(12_050, 2),
            kind: kind.into(),
            email: email.map(String::from),
            account_last4: last4.map(String::from),
            bank_code: None,
            entries: 3,
            status: "open".into(),
        }
    }

    #[test]
    fn each_provider_gets_its_own_items_and_columns() {
        let items = [
            item("TR1-1-1-EUR", "paypal", Some("pay@lumen.example"), None),
            item("TR1-2-1-EUR", "wise", Some("wise@ana.example"), None),
            item("TR1-3-1-EUR", "sepa", None, Some("3000")),
        ];
        let (paypal, rows) = csv(Format::PayPal, &items);
        assert_eq!(rows, 1);
        assert_eq!(
            paypal,
            "Email/Phone,Amount,Currency code,Reference ID,Note to recipient,Recipient wallet\r\n\
             pay@lumen.example,120.50,EUR,TR1-1-1-EUR,Northwind partner payout TR1-1-1-EUR,PayPal\r\n"
        );
        let (wise, rows) = csv(Format::Wise, &items);
        assert_eq!(rows, 1);
        assert!(
            wise.ends_with("\"Lumen, Media\",wise@ana.example,TR1-2-1-EUR,BUSINESS,target,120.50,EUR,EUR\r\n"),
            "{wise}"
        );
        let (generic, rows) = csv(Format::Generic, &items);
        assert_eq!(rows, 3);
        assert!(generic.contains("•••• 3000"));
    }

    #[test]
    fn the_year_end_file_masks_the_tin() {
        let rows = [YearEndRow {
            partner_name: "Northwind Systems".into(),
            legal_name: "Northwind Systems LLC".into(),
            entity_type: "llc".into(),
            tin_last4: Some("6789".into()),
            address: "500 Market St".into(),
            paid: Decimal::new(75_000, 2),
            payments: 2,
        }];
        let csv = year_end_csv(2026, &rows);
        assert!(
            csv.contains("2026,Northwind Systems,Northwind Systems LLC,llc,•••• 6789,500 Market St,750.00,2"),
            "{csv}"
        );
        assert!(!csv.contains("123456789"));
    }
}
