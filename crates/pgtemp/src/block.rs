//! Running async tokio-postgres work from synchronous code, also when the caller is itself
//! inside a tokio runtime (`#[tokio::test]`): the work runs on a fresh thread with its own
//! current-thread runtime, so it never nests runtimes.

use std::future::Future;

use crate::Error;

/// Runs `make()`'s future to completion on a new thread and returns its output.
pub(crate) fn on_thread<T, F, Fut>(what: &str, make: F) -> Result<T, Error>
where
    T: Send + 'static,
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = Result<T, Error>>,
{
    let handle = std::thread::Builder::new()
        .name(format!("pgtemp {what}"))
        .spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(Error::io("cannot start a tokio runtime"))?;
            rt.block_on(make())
        })
        .map_err(Error::io("cannot spawn a thread"))?;
    handle.join().map_err(|_| Error::Thread(what.to_string()))?
}
