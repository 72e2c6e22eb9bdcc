//! The SEPA credit transfer file a bank takes: ISO 20022 `pain.001.001.03`, one payment
//! information block with one transaction per payout item. Text is cut down to the SEPA
//! character set (Latin letters, digits and `/ - ? : ( ) . , ' +` and space), as the EPC's
//! implementation guidelines require, and to each element's length.

use rust_decimal::Decimal;
use std::fmt::Write;
use time::{Date, OffsetDateTime};

pub const NAMESPACE: &str = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.03";

/// Who pays: the brand's legal name and account.
#[derive(Clone, Debug)]
pub struct Debtor {
    pub name: String,
    pub iban: String,
    pub bic: Option<String>,
}

/// One transfer.
#[derive(Clone, Debug)]
pub struct Transfer {
    pub end_to_end_id: String,
    pub amount: Decimal,
    pub creditor_name: String,
    pub iban: String,
    pub bic: Option<String>,
    pub remittance: String,
}

#[derive(Clone, Debug)]
pub struct Batch {
    /// Unique per file (at most 35 characters).
    pub message_id: String,
    pub created_at: OffsetDateTime,
    pub execution_date: Date,
    pub debtor: Debtor,
    pub transfers: Vec<Transfer>,
}

/// Whether a character may appear in SEPA text.
pub fn is_sepa_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || " /-?:().,'+".contains(c)
}

/// `text` in the SEPA character set: accented Latin letters lose their accents, a few letters
/// are spelled out, anything else becomes a space; then cut to `max` characters.
pub fn sepa_text(text: &str, max: usize) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match transliterate(c) {
            Some(spelled) => out.push_str(spelled),
            None if is_sepa_char(c) => out.push(c),
            None => out.push(' '),
        }
    }
    let collapsed = out.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed.chars().take(max).collect::<String>().trim_end().to_owned()
}

fn transliterate(c: char) -> Option<&'static str> {
    Some(match c {
        'á' | 'à' | 'â' | 'ã' | 'å' | 'ā' | 'ą' => "a",
        'ä' | 'æ' => "ae",
        'Á' | 'À' | 'Â' | 'Ã' | 'Å' | 'Ā' | 'Ą' => "A",
        'Ä' | 'Æ' => "AE",
        'ç' | 'ć' | 'č' => "c",
        'Ç' | 'Ć' | 'Č' => "C",
        'é' | 'è' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => "e",
        'É' | 'È' | 'Ê' | 'Ë' | 'Ē' | 'Ę' | 'Ě' => "E",
        'í' | 'ì' | 'î' | 'ï' | 'ī' => "i",
        'Í' | 'Ì' | 'Î' | 'Ï' | 'Ī' => "I",
        'ñ' | 'ń' | 'ň' => "n",
        'Ñ' | 'Ń' | 'Ň' => "N",
        'ó' | 'ò' | 'ô' | 'õ' | 'ō' | 'ő' => "o",
        'ö' | 'ø' | 'œ' => "oe",
        'Ó' | 'Ò' | 'Ô' | 'Õ' | 'Ō' | 'Ő' => "O",
        'Ö' | 'Ø' | 'Œ' => "OE",
        'ú' | 'ù' | 'û' | 'ū' | 'ů' | 'ű' => "u",
        'ü' => "ue",
        'Ú' | 'Ù' | 'Û' | 'Ū' | 'Ů' | 'Ű' => "U",
        'Ü' => "UE",
        'ý' | 'ÿ' => "y",
        'Ý' => "Y",
        'ß' => "ss",
        'ł' => "l",
        'Ł' => "L",
        'ś' | 'š' | 'ş' => "s",
        'Ś' | 'Š' | 'Ş' => "S",
        'ź' | 'ż' | 'ž' => "z",
        'Ź' | 'Ż' | 'Ž' => "Z",
        'ř' => "r",
        'Ř' => "R",
        'ť' | 'ţ' => "t",
        'Ť' | 'Ţ' => "T",
        'ď' => "d",
        'Ď' => "D",
        '&' => "+",
        _ => return None,
    })
}

/// An amount as SEPA writes it: two decimals, a dot, no sign or grouping.
pub fn amount(value: Decimal) -> String {
    format!("{:.2}", value.round_dp(2))
}

/// The control sum of the transfers, as the header states it.
pub fn control_sum(transfers: &[Transfer]) -> Decimal {
    transfers.iter().map(|t| t.amount.round_dp(2)).sum()
}

/// Escapes the five XML special characters (SEPA text has only `'` of them, but ids and IBANs
/// go through here too).
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

fn agent(bic: Option<&str>) -> String {
    match bic {
        Some(bic) => format!("<FinInstnId><BIC>{}</BIC></FinInstnId>", escape(bic)),
        None => "<FinInstnId><Othr><Id>NOTPROVIDED</Id></Othr></FinInstnId>".into(),
    }
}

/// The whole file.
pub fn document(batch: &Batch) -> String {
    let count = batch.transfers.len();
    let sum = amount(control_sum(&batch.transfers));
    let created = batch
        .created_at
        .to_offset(time::UtcOffset::UTC)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let created = created
        .trim_end_matches('Z')
        .split('.')
        .next()
        .unwrap_or_default()
        .to_owned();
    let debtor_name = escape(&sepa_text(&batch.debtor.name, 70));
    let message_id = escape(&sepa_text(&batch.message_id, 35));
    let mut xml = String::with_capacity(600 + count * 700);
    let _ = write!(
        xml,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <Document xmlns=\"{NAMESPACE}\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n\
         <CstmrCdtTrfInitn>\n\
         <GrpHdr><MsgId>{message_id}</MsgId><CreDtTm>{created}</CreDtTm><NbOfTxs>{count}</NbOfTxs>\
         <CtrlSum>{sum}</CtrlSum><InitgPty><Nm>{debtor_name}</Nm></InitgPty></GrpHdr>\n\
         <PmtInf><PmtInfId>{message_id}</PmtInfId><PmtMtd>TRF</PmtMtd><BtchBookg>true</BtchBookg>\
         <NbOfTxs>{count}</NbOfTxs><CtrlSum>{sum}</CtrlSum>\
         <PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl></PmtTpInf><ReqdExctnDt>{date}</ReqdExctnDt>\
         <Dbtr><Nm>{debtor_name}</Nm></Dbtr><DbtrAcct><Id><IBAN>{iban}</IBAN></Id></DbtrAcct>\
         <DbtrAgt>{debtor_agent}</DbtrAgt><ChrgBr>SLEV</ChrgBr>\n",
        date = batch.execution_date,
        iban = escape(&batch.debtor.iban),
        debtor_agent = agent(batch.debtor.bic.as_deref()),
    );
    for transfer in &batch.transfers {
        let _ = writeln!(
            xml,
            "<CdtTrfTxInf><PmtId><EndToEndId>{id}</EndToEndId></PmtId>\
             <Amt><InstdAmt Ccy=\"EUR\">{amount}</InstdAmt></Amt>\
             <CdtrAgt>{creditor_agent}</CdtrAgt><Cdtr><Nm>{name}</Nm></Cdtr>\
             <CdtrAcct><Id><IBAN>{iban}</IBAN></Id></CdtrAcct>\
             <RmtInf><Ustrd>{remittance}</Ustrd></RmtInf></CdtTrfTxInf>",
            id = escape(&sepa_text(&transfer.end_to_end_id, 35)),
            amount = amount(transfer.amount),
            creditor_agent = agent(transfer.bic.as_deref()),
            name = escape(&sepa_text(&transfer.creditor_name, 70)),
            iban = escape(&transfer.iban),
            remittance = escape(&sepa_text(&transfer.remittance, 140)),
        );
    }
    xml.push_str("</PmtInf>\n</CstmrCdtTrfInitn>\n</Document>\n");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn text_keeps_to_the_sepa_character_set() {
        assert_eq!(sepa_text("Müller & Söhne GmbH", 70), "Mueller + Soehne GmbH");
        assert_eq!(sepa_text("Łódź café «Zoë»", 70), "Lodz cafe Zoe");
        assert_eq!(sepa_text("a\tb\n<c>", 70), "a b c");
        assert_eq!(sepa_text("abcdef", 3), "abc");
    }

    #[test]
    fn amounts_have_two_decimals() {
        assert_eq!(amount(Decimal::new(5, 0)), "5.00");
        assert_eq!(amount(Decimal::new(123_456, 4)), "12.35");
        assert_eq!(amount(Decimal::new(100_000_010, 2)), "1000000.10");
    }

    proptest! {
        #[test]
        fn any_text_comes_out_in_the_character_set_and_within_its_length(text in "\\PC{0,200}", max in 1usize..140) {
            let out = sepa_text(&text, max);
            prop_assert!(out.chars().all(is_sepa_char), "{out:?}");
            prop_assert!(out.chars().count() <= max);
        }
    }
}
