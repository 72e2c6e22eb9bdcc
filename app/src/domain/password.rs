//! Password rules. Length is what matters; composition rules only annoy people.

pub const MIN_LEN: usize = 10;
pub const MAX_LEN: usize = 128;

pub fn check_new_password(password: &str, confirmation: &str) -> Result<(), (&'static str, String)> {
    let len = password.chars().count();
    if len < MIN_LEN {
        return Err(("password", format!("Use at least {MIN_LEN} characters.")));
    }
    if len > MAX_LEN {
        return Err(("password", format!("Use at most {MAX_LEN} characters.")));
    }
    if password.trim().is_empty() {
        return Err(("password", "A password can't be only spaces.".into()));
    }
    if password != confirmation {
        return Err(("password_confirm", "The two passwords don't match.".into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_and_confirmation_are_checked() {
        assert!(check_new_password("correct horse", "correct horse").is_ok());
        assert_eq!(check_new_password("short", "short").unwrap_err().0, "password");
        assert_eq!(
            check_new_password(&"x".repeat(129), &"x".repeat(129)).unwrap_err().0,
            "password"
        );
        assert_eq!(
            check_new_password("           ", "           ").unwrap_err().0,
            "password"
        );
        assert_eq!(
            check_new_password("correct horse", "correct horsf").unwrap_err().0,
            "password_confirm"
        );
    }
}
