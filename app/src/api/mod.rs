//! Server functions: the API between the browser and the server. Each one finds out who
//! is asking, checks the input, calls the store and returns; nothing more lives here.

pub mod directory;
pub mod feed;
pub mod prefs;

#[cfg(feature = "ssr")]
mod context {
    use crate::error::AppError;
    use crate::store::Store;
    use leptos::prelude::use_context;

    /// The store the server provided for this request.
    pub fn store() -> Result<Store, AppError> {
        use_context::<Store>().ok_or_else(|| {
            tracing::error!("no Store in the server function context");
            AppError::Internal
        })
    }

    /// The company's UTC offset now, in minutes (falls back to UTC for an unknown zone).
    pub fn utc_offset_minutes(time_zone: &str) -> i32 {
        use chrono::{Offset, TimeZone, Utc};
        time_zone.parse::<chrono_tz::Tz>().map_or(0, |tz| {
            tz.offset_from_utc_datetime(&Utc::now().naive_utc())
                .fix()
                .local_minus_utc()
                / 60
        })
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    #[test]
    fn offsets_follow_the_zone() {
        assert_eq!(super::context::utc_offset_minutes("Asia/Ho_Chi_Minh"), 420);
        assert_eq!(super::context::utc_offset_minutes("UTC"), 0);
        assert_eq!(super::context::utc_offset_minutes("Mars/Olympus"), 0);
    }
}
