//! The directory as CSV (UTF-8, a header row, comma-separated, as spreadsheets write it):
//! exported whole, and imported with every row checked first. An import with any rejected row
//! stores nothing and says which rows and why; otherwise every row is stored, matched to the
//! directory by its ЕИК.
use super::store::NgoRecord;
use crate::domain::{Eik, Email, Field, Lang, LegalForm, NgoStatus, Phone, REGIONS, Region, slug_of_title};
use serde::Serialize;

/// The columns, in the order the export writes them. An import needs every one (in any
/// order): a column left out would otherwise empty what the directory holds in it.
pub const COLUMNS: [&str; 16] = [
    "eik",
    "name_bg",
    "name_en",
    "legal_form",
    "region",
    "municipality",
    "fields",
    "description_bg",
    "description_en",
    "website",
    "email",
    "phone",
    "address",
    "founded",
    "status",
    "public_benefit",
];
/// Rows an import takes at most (seven times the sector's size).
pub const MAX_ROWS: usize = 100_000;
/// Problems reported at most (a wrong file would otherwise list every cell of it).
pub const MAX_PROBLEMS: usize = 1_000;
/// What starts a formula in a spreadsheet: such a cell is exported behind an apostrophe (the
/// spreadsheet shows it as text) and read back without it.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];
const MAX_NAME_CHARS: usize = 300;
const MAX_TEXT_CHARS: usize = 2_000;
const MAX_SHORT_CHARS: usize = 200;

/// Why a row (or the file) was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    /// Not UTF-8, not CSV, or a row with another number of cells than the header.
    Unreadable,
    /// A column the import does not know (nothing is silently dropped).
    UnknownColumn,
    /// A column twice.
    DuplicateColumn,
    /// A column of the export is not in the file.
    MissingColumn,
    TooManyRows,
    Required,
    InvalidEik,
    /// The same ЕИК on an earlier row of the file.
    DuplicateEik,
    TooLong,
    UnknownLegalForm,
    UnknownRegion,
    UnknownField,
    InvalidWebsite,
    InvalidEmail,
    InvalidPhone,
    InvalidYear,
    UnknownStatus,
    InvalidYesNo,
    /// A name with no letter or digit to make an address of.
    NoAddress,
}

impl Problem {
    /// What to change, for the operator of the command line.
    pub fn explain(self) -> &'static str {
        match self {
            Problem::Unreadable => "not readable as UTF-8 CSV (or a row with another number of cells than the header)",
            Problem::UnknownColumn => "an unknown column",
            Problem::DuplicateColumn => "a column twice",
            Problem::MissingColumn => "a column of the export is missing (all 16 are required)",
            Problem::TooManyRows => "more rows than one import takes",
            Problem::Required => "required",
            Problem::InvalidEik => "not a valid ЕИК (9 or 13 digits with their check digits)",
            Problem::DuplicateEik => "the same ЕИК as an earlier row",
            Problem::TooLong => "too long",
            Problem::UnknownLegalForm => "not a legal form (association, foundation, chitalishte, other)",
            Problem::UnknownRegion => "not one of the 28 oblasti",
            Problem::UnknownField => "not a field of work",
            Problem::InvalidWebsite => "not an http(s) address",
            Problem::InvalidEmail => "not an e-mail address",
            Problem::InvalidPhone => "not a Bulgarian phone number",
            Problem::InvalidYear => "not a year between 1800 and this one",
            Problem::UnknownStatus => "not a status (active, liquidation, deregistered)",
            Problem::InvalidYesNo => "not yes or no",
            Problem::NoAddress => "a name without letters",
        }
    }
}

/// A problem of a row (`line` 1 is the header) or of the file (`line` 0), in a column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowProblem {
    pub line: u64,
    pub column: String,
    pub problem: Problem,
}

fn matches_name(value: &str, names: [&str; 2]) -> bool {
    names.iter().any(|name| name.to_lowercase() == value.to_lowercase())
}

fn legal_form(value: &str) -> Option<LegalForm> {
    LegalForm::parse(value).or_else(|| {
        LegalForm::ALL
            .into_iter()
            .find(|form| matches_name(value, Lang::ALL.map(|lang| form.name(lang))))
    })
}

fn region(value: &str) -> Option<&'static Region> {
    Region::by_code(value).or_else(|| {
        REGIONS
            .iter()
            .find(|region| matches_name(value, Lang::ALL.map(|lang| region.name(lang))))
    })
}

fn field(value: &str) -> Option<Field> {
    Field::parse(value).or_else(|| {
        Field::ALL
            .into_iter()
            .find(|field| matches_name(value, Lang::ALL.map(|lang| field.name(lang))))
    })
}

fn status(value: &str) -> Option<NgoStatus> {
    NgoStatus::parse(value).or_else(|| {
        [NgoStatus::Active, NgoStatus::Liquidation, NgoStatus::Deregistered]
            .into_iter()
            .find(|status| matches_name(value, Lang::ALL.map(|lang| status.name(lang))))
    })
}

fn yes_no(value: &str) -> Option<bool> {
    match value.to_lowercase().as_str() {
        "" | "0" | "no" | "false" | "не" => Some(false),
        "1" | "yes" | "true" | "да" => Some(true),
        _ => None,
    }
}

/// One row's cells by column name, checked into a record.
fn record(
    cell: &dyn Fn(&str) -> String,
    this_year: u16,
    problems: &mut Vec<(&'static str, Problem)>,
) -> Option<NgoRecord> {
    let before = problems.len();
    let mut text = |column: &'static str, max: usize, required: bool| {
        let value = crate::domain::single_line(&cell(column));
        if required && value.is_empty() {
            problems.push((column, Problem::Required));
        } else if value.chars().count() > max {
            problems.push((column, Problem::TooLong));
        }
        value
    };
    let name_bg = text("name_bg", MAX_NAME_CHARS, true);
    let name_en = text("name_en", MAX_NAME_CHARS, false);
    let municipality = text("municipality", MAX_SHORT_CHARS, false);
    let description_bg = text("description_bg", MAX_TEXT_CHARS, false);
    let description_en = text("description_en", MAX_TEXT_CHARS, false);
    let address = text("address", MAX_SHORT_CHARS, false);
    let mut check = |column: &'static str, ok: bool, problem: Problem| {
        if !ok {
            problems.push((column, problem));
        }
    };
    let eik_cell = cell("eik");
    let eik = eik_cell.trim().parse::<Eik>().ok();
    check("eik", !eik_cell.trim().is_empty(), Problem::Required);
    check("eik", eik_cell.trim().is_empty() || eik.is_some(), Problem::InvalidEik);
    let form_cell = cell("legal_form");
    let form = if form_cell.trim().is_empty() {
        Some(LegalForm::Association)
    } else {
        legal_form(form_cell.trim())
    };
    check("legal_form", form.is_some(), Problem::UnknownLegalForm);
    let region_cell = cell("region");
    let place = region(region_cell.trim());
    check("region", place.is_some(), Problem::UnknownRegion);
    let fields: Vec<Option<Field>> = cell("fields")
        .split([';', ','])
        .map(str::trim)
        .filter(|value| !value.is_empty())
        .map(field)
        .collect();
    check("fields", fields.iter().all(Option::is_some), Problem::UnknownField);
    let website = cell("website").trim().to_owned();
    let website_ok = website.is_empty()
        || ((website.starts_with("https://") || website.starts_with("http://"))
            && website.len() <= MAX_SHORT_CHARS
            && !website.chars().any(|c| c.is_whitespace() || c.is_control()));
    check("website", website_ok, Problem::InvalidWebsite);
    let email = cell("email").trim().to_owned();
    check(
        "email",
        email.is_empty() || email.parse::<Email>().is_ok(),
        Problem::InvalidEmail,
    );
    let phone = cell("phone").trim().to_owned();
    check(
        "phone",
        phone.is_empty() || phone.parse::<Phone>().is_ok(),
        Problem::InvalidPhone,
    );
    let founded_cell = cell("founded");
    let founded = founded_cell.trim().parse::<u16>().ok();
    check(
        "founded",
        founded_cell.trim().is_empty() || founded.is_some_and(|year| (1800..=this_year).contains(&year)),
        Problem::InvalidYear,
    );
    let status_cell = cell("status");
    let standing = if status_cell.trim().is_empty() {
        Some(NgoStatus::Active)
    } else {
        status(status_cell.trim())
    };
    check("status", standing.is_some(), Problem::UnknownStatus);
    let benefit = yes_no(cell("public_benefit").trim());
    check("public_benefit", benefit.is_some(), Problem::InvalidYesNo);
    let slug = slug_of_title(&name_bg);
    check("name_bg", name_bg.is_empty() || slug.is_some(), Problem::NoAddress);
    if problems.len() > before {
        return None;
    }
    Some(NgoRecord {
        slug: slug?,
        name_bg,
        name_en,
        legal_form: form?,
        eik: Some(eik?.to_string()),
        region: place?.code.to_owned(),
        municipality,
        fields: fields.into_iter().flatten().collect(),
        description_bg,
        description_en,
        website: (!website.is_empty()).then_some(website),
        email: (!email.is_empty()).then_some(email),
        phone: (!phone.is_empty()).then_some(phone),
        address,
        founded,
        status: standing?,
        public_benefit: benefit?,
        logo: None,
    })
}

/// Every row of `bytes` as a record, or every problem found (then nothing is to be stored).
pub fn read(bytes: &[u8], this_year: u16) -> Result<Vec<NgoRecord>, Vec<RowProblem>> {
    let file_problem = |column: &str, problem| {
        vec![RowProblem {
            line: 0,
            column: column.to_owned(),
            problem,
        }]
    };
    // A spreadsheet's UTF-8 export may start with a byte order mark.
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
    let header: Vec<String> = match reader.headers() {
        Ok(header) => header.iter().map(|name| name.trim().to_lowercase()).collect(),
        Err(_) => return Err(file_problem("", Problem::Unreadable)),
    };
    if let Some(unknown) = header.iter().find(|name| !COLUMNS.contains(&name.as_str())) {
        return Err(file_problem(unknown, Problem::UnknownColumn));
    }
    if let Some(twice) = header
        .iter()
        .enumerate()
        .find(|(at, name)| header[..*at].contains(name))
    {
        return Err(file_problem(twice.1, Problem::DuplicateColumn));
    }
    if let Some(missing) = COLUMNS.iter().find(|column| !header.iter().any(|name| name == *column)) {
        return Err(file_problem(missing, Problem::MissingColumn));
    }
    let mut records = Vec::new();
    let mut problems = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for (index, row) in reader.records().enumerate() {
        let line = index as u64 + 2;
        if index >= MAX_ROWS {
            return Err(file_problem("", Problem::TooManyRows));
        }
        let Ok(row) = row else {
            problems.push(RowProblem {
                line,
                column: String::new(),
                problem: Problem::Unreadable,
            });
            continue;
        };
        let cell = |column: &str| {
            let value = header
                .iter()
                .position(|name| name == column)
                .and_then(|at| row.get(at))
                .unwrap_or("");
            // The export's apostrophe before what a spreadsheet would read as a formula.
            match value.strip_prefix('\'') {
                Some(rest) if rest.starts_with(FORMULA_STARTS) => rest.to_owned(),
                _ => value.to_owned(),
            }
        };
        let mut found = Vec::new();
        match record(&cell, this_year, &mut found) {
            Some(ngo) => {
                let eik = ngo.eik.clone().unwrap_or_default();
                if seen.insert(eik, line).is_some() {
                    problems.push(RowProblem {
                        line,
                        column: "eik".to_owned(),
                        problem: Problem::DuplicateEik,
                    });
                } else {
                    records.push(ngo);
                }
            }
            None => problems.extend(found.into_iter().map(|(column, problem)| RowProblem {
                line,
                column: column.to_owned(),
                problem,
            })),
        }
    }
    if problems.is_empty() {
        Ok(records)
    } else {
        Err(problems)
    }
}

/// A cell as a spreadsheet should show it: text, never a formula.
fn as_text(value: &str) -> std::borrow::Cow<'_, str> {
    if value.starts_with(FORMULA_STARTS) {
        format!("'{value}").into()
    } else {
        value.into()
    }
}

/// The records as CSV, with the header row; fields as `;`-separated codes.
pub fn write(ngos: &[NgoRecord]) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(COLUMNS)?;
    for ngo in ngos {
        let fields: Vec<&str> = ngo.fields.iter().map(|field| field.code()).collect();
        let founded = ngo.founded.map(|year| year.to_string()).unwrap_or_default();
        writer.write_record(
            [
                ngo.eik.as_deref().unwrap_or(""),
                &ngo.name_bg,
                &ngo.name_en,
                ngo.legal_form.code(),
                &ngo.region,
                &ngo.municipality,
                &fields.join(";"),
                &ngo.description_bg,
                &ngo.description_en,
                ngo.website.as_deref().unwrap_or(""),
                ngo.email.as_deref().unwrap_or(""),
                ngo.phone.as_deref().unwrap_or(""),
                &ngo.address,
                &founded,
                ngo.status.code(),
                if ngo.public_benefit { "yes" } else { "no" },
            ]
            .map(as_text)
            .iter()
            .map(|cell| cell.as_ref()),
        )?;
    }
    writer
        .into_inner()
        .map_err(|error| csv::Error::from(error.into_error()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "eik,name_bg,name_en,legal_form,region,municipality,fields,email,founded,status,public_benefit,\
                          description_bg,description_en,website,phone,address\n";

    fn problems(csv: &str) -> Vec<(u64, String, Problem)> {
        read(csv.as_bytes(), 2026)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|p| (p.line, p.column, p.problem))
            .collect()
    }

    #[test]
    fn a_valid_row_becomes_a_record_by_codes_or_by_names() {
        let csv = format!(
            "\u{feff}{HEADER}121640481,Сдружение „Зелени Родопи“,Green Rhodopes,сдружение,Смолян,Смолян,environment; Култура,office@zeleni.bg,2004,active,да,,,,,\n"
        );
        let records = read(csv.as_bytes(), 2026).expect("valid");
        let ngo = &records[0];
        assert_eq!(ngo.eik.as_deref(), Some("121640481"));
        assert_eq!(ngo.legal_form, LegalForm::Association);
        assert_eq!(ngo.region, "smolyan");
        assert_eq!(ngo.fields, [Field::Environment, Field::Culture]);
        assert_eq!(ngo.slug.as_str(), "sdruzhenie-zeleni-rodopi");
        assert!(ngo.public_benefit);
        assert_eq!(ngo.founded, Some(2004));
    }

    #[test]
    fn every_problem_of_every_row_is_reported_with_its_line() {
        let csv = format!(
            "{HEADER}\
             121640481,Сдружение А,,сдружение,smolyan,,,,,,,,,,,\n\
             121640488,,,кооперация,Атлантида,,пиратство,not-mail,1700,sleeping,може би,,,,,\n\
             121640481,Сдружение Б,,,sofia-city,,,,,,,,,,,\n"
        );
        let found = problems(&csv);
        let on_line_3: Vec<Problem> = found.iter().filter(|(line, ..)| *line == 3).map(|(.., p)| *p).collect();
        for expected in [
            Problem::Required,
            Problem::InvalidEik,
            Problem::UnknownLegalForm,
            Problem::UnknownRegion,
            Problem::UnknownField,
            Problem::InvalidEmail,
            Problem::InvalidYear,
            Problem::UnknownStatus,
            Problem::InvalidYesNo,
        ] {
            assert!(on_line_3.contains(&expected), "{expected:?} in {on_line_3:?}");
        }
        assert!(found.contains(&(4, "eik".to_owned(), Problem::DuplicateEik)));
        assert!(!found.iter().any(|(line, ..)| *line == 2), "row 2 is fine");
    }

    #[test]
    fn a_file_that_is_not_the_directorys_is_refused_whole() {
        assert_eq!(
            problems("name,city\nА,Б\n"),
            [(0, "name".to_owned(), Problem::UnknownColumn)]
        );
        assert_eq!(
            problems("name_bg\nА\n"),
            [(0, "eik".to_owned(), Problem::MissingColumn)]
        );
        assert_eq!(
            problems("eik,eik\n1,2\n"),
            [(0, "eik".to_owned(), Problem::DuplicateColumn)]
        );
        assert_eq!(
            problems(&format!("{HEADER}121640481,А\n")),
            [(2, String::new(), Problem::Unreadable)]
        );
        assert!(read(&[0xff, 0xfe, 0x00], 2026).is_err());
    }

    #[test]
    fn an_export_reads_back_as_the_same_records() {
        let records = read(
            format!(
                "{HEADER}121640481,\"Фондация „Земя, вода“\",,foundation,varna,Варна,children-youth;education,,1999,\
                 liquidation,no,\"=HYPERLINK(\"\"http://x\"\")\nна два реда\",,,+359 88 123 4567,\n"
            )
            .as_bytes(),
            2026,
        )
        .expect("valid");
        let exported = write(&records).expect("written");
        let text = String::from_utf8_lossy(&exported);
        assert!(text.contains("\"'=HYPERLINK"), "a formula is exported as text: {text}");
        assert!(text.contains("'+359 88"), "{text}");
        assert_eq!(read(&exported, 2026).expect("reads back"), records);
    }
}
