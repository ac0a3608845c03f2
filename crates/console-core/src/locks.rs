//! The one way the core takes a mutex.

use std::sync::{Mutex, MutexGuard};

pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding one of these locks leaves plain data behind; carry on.
    m.lock().unwrap_or_else(|p| p.into_inner())
}
