use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    return_freed_memory_sooner();
    server::cli::main()
}

/// mimalloc gives memory back to the system a second after it was freed. A page render
/// frees a few megabytes, so under steady browsing most of what was freed in the last
/// second was still resident: on the million-post company, 195–201 MB at most while 500
/// people browse, against 131 MB when it gives memory back at once and 172 MB after a
/// tenth of a second (BENCHMARKS.md, "The image's binary on a million posts, again").
/// A tenth is the cautious middle: it meets the 200 MB with room to spare, while at once
/// would purge after nearly every render, a cost the bench could not tell from its noise
/// but mimalloc's authors delay for. An operator's own `MIMALLOC_PURGE_DELAY` wins (the
/// exact name; mimalloc also reads other spellings, which this check does not see).
#[allow(unsafe_code)] // The crate's one exception (server/Cargo.toml): a foreign call.
fn return_freed_memory_sooner() {
    /// `mi_option_purge_delay` in mimalloc 3's `mi_option_e` (the crate names no
    /// constant for it); milliseconds.
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    /// Its default there: a sign the index still names it.
    const DEFAULT_MS: std::ffi::c_long = 1_000;
    const PURGE_AFTER_MS: std::ffi::c_long = 100;
    // SAFETY: reads and sets one integer option, before any other thread exists;
    // mimalloc reads it again each time it schedules a purge.
    unsafe {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none()
            && libmimalloc_sys::mi_option_get(PURGE_DELAY) == DEFAULT_MS
        {
            libmimalloc_sys::mi_option_set(PURGE_DELAY, PURGE_AFTER_MS);
        }
    }
}
