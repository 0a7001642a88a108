//! Background tasks: the lookup workers, callback deliveries and cache upkeep.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use crate::callback::{deliver, send_url, DeliveryError};
use crate::number::mask;
use crate::provider::Provider;
use crate::service::Inner;
use crate::store::{now_ms, Claim, ReadyCallback};

/// Longest idle wait before a worker looks at the queue again.
const IDLE_POLL: Duration = Duration::from_secs(1);
/// Longest delay between two attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(600);
/// How often expired cache entries are deleted.
const PURGE_EVERY: Duration = Duration::from_secs(3600);

/// `base * 2^exponent`, capped.
fn backoff(base_ms: u64, exponent: u32) -> Duration {
    let ms = base_ms.saturating_mul(1u64 << exponent.min(20));
    Duration::from_millis(ms).min(MAX_BACKOFF)
}

/// Sleeps for `duration`; false if shutdown was signalled first.
async fn sleep_or_stop(shutdown: &mut watch::Receiver<bool>, duration: Duration) -> bool {
    if *shutdown.borrow() {
        return false;
    }
    tokio::select! {
        _ = tokio::time::sleep(duration) => true,
        _ = shutdown.changed() => false,
    }
}

/// One lookup worker: claims due jobs and runs them until shutdown.
pub(crate) async fn run(inner: Arc<Inner>, provider: Arc<dyn Provider>) {
    let mut shutdown = inner.shutdown.clone();
    while !*shutdown.borrow() {
        if let Some(wait) = inner.breaker.wait_time() {
            sleep_or_stop(&mut shutdown, wait.min(IDLE_POLL)).await;
            continue;
        }
        match inner.store.claim().await {
            Err(e) => {
                tracing::error!(error = %e, "whatsapp: claiming a job failed");
                sleep_or_stop(&mut shutdown, IDLE_POLL).await;
            }
            Ok(Claim::Idle { next_due_ms }) => {
                let wait = next_due_ms
                    .map(|due| Duration::from_millis(due.saturating_sub(now_ms()).max(0) as u64))
                    .unwrap_or(IDLE_POLL)
                    .min(IDLE_POLL);
                tokio::select! {
                    _ = inner.wake.notified() => {}
                    _ = tokio::time::sleep(wait) => {}
                    _ = shutdown.changed() => {}
                }
            }
            Ok(Claim::Job { number, attempts }) => {
                run_job(&inner, &*provider, &mut shutdown, number, attempts).await;
            }
        }
    }
}

/// Looks one number up with retries; stores the outcome.
async fn run_job(
    inner: &Arc<Inner>,
    provider: &dyn Provider,
    shutdown: &mut watch::Receiver<bool>,
    number: String,
    rounds: u32,
) {
    let config = &inner.config;
    let masked = mask(&number);
    let mut tried = false;
    let mut stopped = false;
    for attempt in 0..=config.retries {
        if attempt > 0 && !sleep_or_stop(shutdown, backoff(config.backoff_ms, attempt - 1)).await {
            stopped = true;
            break;
        }
        if !inner.breaker.try_acquire() {
            break;
        }
        tried = true;
        let outcome = tokio::select! {
            outcome = provider.lookup(&number) => outcome,
            _ = shutdown.changed() => {
                stopped = true;
                break;
            }
        };
        match outcome {
            Ok(detail) => {
                inner.breaker.on_success();
                let whatsapp = detail.whatsapp;
                let e164 = number.clone();
                match inner
                    .store
                    .complete(number.clone(), detail.clone(), move |url| {
                        send_url(url, &e164, &detail)
                    })
                    .await
                {
                    Ok(ready) => {
                        tracing::info!(number = %masked, whatsapp, callbacks = ready.len(), "whatsapp: lookup done");
                        for callback in ready {
                            spawn_delivery(inner, callback);
                        }
                    }
                    Err(e) => {
                        tracing::error!(number = %masked, error = %e, "whatsapp: storing a result failed");
                        let retry_at =
                            now_ms() + backoff(config.backoff_ms, rounds).as_millis() as i64;
                        if let Err(e) = inner.store.release(number, retry_at).await {
                            tracing::error!(number = %masked, error = %e, "whatsapp: requeueing a job failed");
                        }
                    }
                }
                return;
            }
            Err(e) => {
                inner.breaker.on_failure();
                tracing::warn!(number = %masked, attempt, error = %e, "whatsapp: lookup failed");
            }
        }
    }
    // Not answered: back into the queue (a failed round counts towards max_job_attempts).
    let not_before = inner.breaker.wait_time().unwrap_or(Duration::ZERO);
    // Shutting down is not the upstream's fault: the round is not counted.
    let result = if tried && !stopped {
        let retry_in = backoff(config.backoff_ms, rounds.saturating_add(1)).max(not_before);
        inner
            .store
            .fail_round(number, now_ms() + retry_in.as_millis() as i64, config.max_job_attempts)
            .await
            .map(|dropped| {
                if dropped {
                    tracing::warn!(number = %masked, "whatsapp: lookup given up after max_job_attempts");
                }
            })
    } else {
        inner
            .store
            .release(number, now_ms() + not_before.as_millis() as i64)
            .await
    };
    if let Err(e) = result {
        tracing::error!(number = %masked, error = %e, "whatsapp: requeueing a job failed");
    }
}

/// Starts delivering one ready callback in the background.
pub(crate) fn spawn_delivery(inner: &Arc<Inner>, callback: ReadyCallback) {
    let mut deliveries = inner.deliveries.lock().unwrap_or_else(|p| p.into_inner());
    while deliveries.try_join_next().is_some() {}
    deliveries.spawn(deliver_with_retries(inner.clone(), callback));
}

async fn deliver_with_retries(inner: Arc<Inner>, callback: ReadyCallback) {
    let mut shutdown = inner.shutdown.clone();
    let timeout = Duration::from_millis(inner.config.callback_timeout_ms.max(1));
    let mut attempts = callback.attempts;
    loop {
        let outcome = tokio::select! {
            outcome = deliver(&callback.send_url, &callback.pinned_addr, &callback.secret, timeout) => outcome,
            _ = shutdown.changed() => return,
        };
        let give_up = match outcome {
            Ok(()) => {
                tracing::info!(callback = callback.id, "whatsapp: callback delivered");
                true
            }
            Err(DeliveryError::Malformed) => {
                tracing::warn!(
                    callback = callback.id,
                    "whatsapp: callback dropped (malformed)"
                );
                true
            }
            Err(e) => {
                attempts = inner
                    .store
                    .callback_failed(callback.id)
                    .await
                    .unwrap_or(u32::MAX);
                let exhausted = attempts > inner.config.callback_retries;
                tracing::warn!(callback = callback.id, attempts, error = %e, exhausted, "whatsapp: callback failed");
                exhausted
            }
        };
        if give_up {
            if let Err(e) = inner.store.callback_done(callback.id).await {
                tracing::error!(error = %e, "whatsapp: removing a callback failed");
            }
            return;
        }
        if !sleep_or_stop(
            &mut shutdown,
            backoff(inner.config.backoff_ms, attempts.saturating_sub(1)),
        )
        .await
        {
            return;
        }
    }
}

/// Deletes expired cache entries now and then.
pub(crate) async fn maintain(inner: Arc<Inner>) {
    let mut shutdown = inner.shutdown.clone();
    let ttl = Duration::from_secs(inner.config.cache_ttl_secs);
    while sleep_or_stop(&mut shutdown, PURGE_EVERY).await {
        if let Err(e) = inner.store.purge_expired(ttl).await {
            tracing::warn!(error = %e, "whatsapp: purging expired results failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(backoff(100, 0), Duration::from_millis(100));
        assert_eq!(backoff(100, 3), Duration::from_millis(800));
        assert_eq!(backoff(100, 40), MAX_BACKOFF);
    }
}
