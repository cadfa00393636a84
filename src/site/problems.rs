//! What a field's problem says to the visitor, in the page's language: one wording for every form.
use crate::error::FieldProblem;
use crate::i18n::*;

/// The message for a field problem, in the page's language.
pub fn problem_text(problem: FieldProblem, locale: Locale) -> String {
    match problem {
        FieldProblem::Required => td_string!(locale, error_required).to_string(),
        FieldProblem::TooLong => td_string!(locale, error_too_long).to_string(),
        FieldProblem::InvalidEmail => td_string!(locale, error_email).to_string(),
        FieldProblem::InvalidPhone => td_string!(locale, error_phone).to_string(),
        FieldProblem::InvalidAge => td_string!(locale, error_age).to_string(),
        FieldProblem::AgeOutOfRange { min, max } => {
            td_string!(locale, error_age_range, min = min, max = max).to_string()
        }
        FieldProblem::NoChildren => td_string!(locale, error_no_children).to_string(),
        FieldProblem::TooManyChildren { max } => td_string!(locale, error_too_many_children, max = max).to_string(),
        FieldProblem::ConsentRequired => td_string!(locale, error_consent).to_string(),
        FieldProblem::TooManyRegistrations { max } => {
            td_string!(locale, error_too_many_registrations, max = max).to_string()
        }
        FieldProblem::WrongCredentials => td_string!(locale, error_wrong_credentials).to_string(),
        FieldProblem::InvalidSlug => td_string!(locale, error_invalid_slug).to_string(),
        FieldProblem::SlugTaken => td_string!(locale, error_slug_taken).to_string(),
        FieldProblem::InvalidDateTime => td_string!(locale, error_invalid_datetime).to_string(),
        FieldProblem::NotInFuture => td_string!(locale, error_not_in_future).to_string(),
        FieldProblem::TitleInOneLanguage => td_string!(locale, error_title_in_one_language).to_string(),
        FieldProblem::InvalidImage => td_string!(locale, error_invalid_image).to_string(),
        FieldProblem::NumberOutOfRange { min, max } => {
            td_string!(locale, error_number_range, min = min, max = max).to_string()
        }
        FieldProblem::InvalidPrice => td_string!(locale, error_price).to_string(),
        FieldProblem::InvalidLink => td_string!(locale, error_link).to_string(),
        FieldProblem::EndsBeforeStart => td_string!(locale, error_ends_before_start).to_string(),
        FieldProblem::ClosesBeforeOpens => td_string!(locale, error_closes_before_opens).to_string(),
        FieldProblem::ClosesAfterEnd => td_string!(locale, error_closes_after_end).to_string(),
        FieldProblem::InvalidCodePrefix => td_string!(locale, error_code_prefix).to_string(),
        FieldProblem::BelowConfirmed { confirmed } => {
            td_string!(locale, error_below_confirmed, confirmed = confirmed).to_string()
        }
        FieldProblem::CannotBeDraft => td_string!(locale, error_cannot_be_draft).to_string(),
        FieldProblem::StaysCancelled => td_string!(locale, error_stays_cancelled).to_string(),
        FieldProblem::EndsInPast => td_string!(locale, error_ends_in_past).to_string(),
        FieldProblem::EmailTaken => td_string!(locale, error_email_taken).to_string(),
        FieldProblem::PasswordLength { min } => td_string!(locale, error_password_length, min = min).to_string(),
        FieldProblem::LastAdmin => td_string!(locale, error_last_admin).to_string(),
    }
}
