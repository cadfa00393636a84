//! Parsing the registration form into what may be stored, with one problem per field. Runs on
//! the server (the authority) and in the browser (inline hints).
use super::model::{ChildInput, RegistrationForm};
use crate::domain::{Email, Phone, multi_line, single_line};
use crate::error::{FieldError, FieldProblem};

pub const MAX_CHILDREN: usize = 6;
const MAX_NAME_CHARS: usize = 100;
const MAX_NOTE_CHARS: usize = 1000;
/// Children's events: no one is 18 or older.
const OLDEST_CHILD: u8 = 17;

/// A registration form that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRegistration {
    pub parent_name: String,
    pub email: Email,
    pub phone: Phone,
    /// First name and age of each child, in the order entered.
    pub children: Vec<(String, u8)>,
    pub note: String,
}

pub fn child_field(index: usize, part: &str) -> String {
    format!("children[{index}][{part}]")
}

/// A name: one line, with no control or bidi characters (it reaches mail, `.ics` and pages).
fn required_text(value: &str, field: &str, max_chars: usize, errors: &mut Vec<FieldError>) -> String {
    let value = single_line(value);
    if value.is_empty() {
        errors.push(FieldError::new(field, FieldProblem::Required));
    } else if value.chars().count() > max_chars {
        errors.push(FieldError::new(field, FieldProblem::TooLong));
    }
    value
}

/// Parses an age as typed: a whole number of years, 0 to 17.
pub fn parse_age(raw: &str) -> Result<u8, FieldProblem> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(FieldProblem::Required);
    }
    raw.parse::<u8>()
        .ok()
        .filter(|age| *age <= OLDEST_CHILD)
        .ok_or(FieldProblem::InvalidAge)
}

fn child(index: usize, input: &ChildInput, ages: (u8, u8), errors: &mut Vec<FieldError>) -> Option<(String, u8)> {
    let name = required_text(
        &input.first_name,
        &child_field(index, "first_name"),
        MAX_NAME_CHARS,
        errors,
    );
    let (min, max) = ages;
    let age = match parse_age(&input.age) {
        Ok(age) if (min..=max).contains(&age) => Some(age),
        Ok(_) => {
            errors.push(FieldError::new(
                child_field(index, "age"),
                FieldProblem::AgeOutOfRange { min, max },
            ));
            None
        }
        Err(problem) => {
            errors.push(FieldError::new(child_field(index, "age"), problem));
            None
        }
    };
    Some((name, age?))
}

/// Checks the form against the event's age range (`ages` = (min, max), inclusive).
pub fn validate(form: &RegistrationForm, ages: (u8, u8)) -> Result<ValidRegistration, Vec<FieldError>> {
    let mut errors = Vec::new();
    let parent_name = required_text(&form.parent_name, "parent_name", MAX_NAME_CHARS, &mut errors);
    let email = match form.email.trim() {
        "" => Err(FieldProblem::Required),
        raw => raw.parse::<Email>().map_err(|_| FieldProblem::InvalidEmail),
    }
    .map_err(|problem| errors.push(FieldError::new("email", problem)))
    .ok();
    let phone = match form.phone.trim() {
        "" => Err(FieldProblem::Required),
        raw => raw.parse::<Phone>().map_err(|_| FieldProblem::InvalidPhone),
    }
    .map_err(|problem| errors.push(FieldError::new("phone", problem)))
    .ok();
    // Rows left empty (the form without JavaScript offers several) are not children.
    let filled: Vec<(usize, &ChildInput)> = form
        .children
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.first_name.trim().is_empty() || !c.age.trim().is_empty())
        .collect();
    if filled.is_empty() {
        errors.push(FieldError::new("children", FieldProblem::NoChildren));
    } else if filled.len() > MAX_CHILDREN {
        errors.push(FieldError::new(
            "children",
            FieldProblem::TooManyChildren {
                max: MAX_CHILDREN as u8,
            },
        ));
    }
    let children: Vec<(String, u8)> = filled
        .iter()
        .filter_map(|(index, input)| child(*index, input, ages, &mut errors))
        .collect();
    let note = multi_line(&form.note);
    if note.chars().count() > MAX_NOTE_CHARS {
        errors.push(FieldError::new("note", FieldProblem::TooLong));
    }
    if form.consent.is_none() {
        errors.push(FieldError::new("consent", FieldProblem::ConsentRequired));
    }
    match (email, phone, errors.is_empty()) {
        (Some(email), Some(phone), true) => Ok(ValidRegistration {
            parent_name,
            email,
            phone,
            children,
            note,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> RegistrationForm {
        RegistrationForm {
            parent_name: "Мария Иванова".into(),
            email: "maria@example.bg".into(),
            phone: "0888 123 456".into(),
            children: vec![
                ChildInput {
                    first_name: "Ива".into(),
                    age: "6".into(),
                },
                ChildInput {
                    first_name: "Петър".into(),
                    age: "9".into(),
                },
                ChildInput::default(),
            ],
            consent: Some("on".into()),
            ..RegistrationForm::default()
        }
    }

    fn problems(form: &RegistrationForm) -> Vec<(String, FieldProblem)> {
        validate(form, (4, 12))
            .expect_err("rejected")
            .into_iter()
            .map(|e| (e.field, e.problem))
            .collect()
    }

    #[test]
    fn a_complete_form_with_two_children_passes_and_empty_rows_are_ignored() {
        let valid = validate(&form(), (4, 12)).expect("valid");
        assert_eq!(valid.children, vec![("Ива".to_owned(), 6), ("Петър".to_owned(), 9)]);
        assert_eq!(valid.phone.as_str(), "+359888123456");
    }

    #[test]
    fn every_problem_is_reported_on_its_own_field() {
        let mut bad = form();
        bad.parent_name = "  ".into();
        bad.email = "maria@".into();
        bad.phone = "12".into();
        bad.children[1].age = "15".into();
        bad.consent = None;
        assert_eq!(
            problems(&bad),
            vec![
                ("parent_name".to_owned(), FieldProblem::Required),
                ("email".to_owned(), FieldProblem::InvalidEmail),
                ("phone".to_owned(), FieldProblem::InvalidPhone),
                (
                    "children[1][age]".to_owned(),
                    FieldProblem::AgeOutOfRange { min: 4, max: 12 }
                ),
                ("consent".to_owned(), FieldProblem::ConsentRequired),
            ]
        );
    }

    #[test]
    fn ages_must_be_whole_years_of_a_child() {
        assert_eq!(parse_age(" 7 "), Ok(7));
        assert_eq!(parse_age("0"), Ok(0));
        for bad in ["седем", "7.5", "-1", "18", "300"] {
            assert_eq!(parse_age(bad), Err(FieldProblem::InvalidAge), "{bad}");
        }
        assert_eq!(parse_age(""), Err(FieldProblem::Required));
    }

    #[test]
    fn at_least_one_child_and_not_too_many() {
        let mut none = form();
        none.children = vec![ChildInput::default(); 3];
        assert_eq!(problems(&none), vec![("children".to_owned(), FieldProblem::NoChildren)]);
        let mut crowd = form();
        crowd.children = vec![
            ChildInput {
                first_name: "Дете".into(),
                age: "5".into()
            };
            MAX_CHILDREN + 1
        ];
        assert_eq!(
            problems(&crowd),
            vec![("children".to_owned(), FieldProblem::TooManyChildren { max: 6 })]
        );
    }

    #[test]
    fn a_child_row_needs_both_name_and_age() {
        let mut half = form();
        half.children[2].age = "5".into();
        assert_eq!(
            problems(&half),
            vec![("children[2][first_name]".to_owned(), FieldProblem::Required)]
        );
    }
}
