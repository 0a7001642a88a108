//! Work items shared out over a few threads ("lanes") that each take the next item in turn.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Runs `work(position)` for every position in `0..count` on up to `lanes` threads (the
/// caller's and `lanes - 1` scoped helpers), each taking the next position when it finishes
/// one, so items of uneven cost still end together (deal the costliest first). Returns the
/// results in position order. A panic in any lane is resumed on the caller's thread once all
/// lanes have stopped.
pub(crate) fn in_lanes<T: Send>(
    count: usize,
    lanes: usize,
    work: impl Fn(usize) -> T + Sync,
) -> Vec<T> {
    let lanes = lanes.min(count).max(1);
    if lanes == 1 {
        return (0..count).map(work).collect();
    }
    let next = AtomicUsize::new(0);
    let lane = || {
        let mut done = Vec::new();
        loop {
            let position = next.fetch_add(1, Ordering::Relaxed);
            if position >= count {
                return done;
            }
            done.push((position, work(position)));
        }
    };
    let finished: Vec<Vec<(usize, T)>> = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..lanes).map(|_| scope.spawn(lane)).collect();
        let mut all = vec![lane()];
        all.extend(helpers.into_iter().map(|helper| {
            helper
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        }));
        all
    });
    let mut results: Vec<Option<T>> = (0..count).map(|_| None).collect();
    for (position, result) in finished.into_iter().flatten() {
        results[position] = Some(result);
    }
    results
        .into_iter()
        .map(|result| result.expect("every position is taken by exactly one lane"))
        .collect()
}

/// [`in_lanes`] over `0..count` dealt out costliest first (`cost` of an index; long lines,
/// wide regions), so the lanes end together; the results come back in index order.
pub(crate) fn in_lanes_costliest_first<T: Send>(
    count: usize,
    lanes: usize,
    cost: impl Fn(usize) -> f32,
    work: impl Fn(usize) -> T + Sync,
) -> Vec<T> {
    let mut order: Vec<usize> = (0..count).collect();
    order.sort_by(|&a, &b| cost(b).total_cmp(&cost(a)));
    let done = in_lanes(count, lanes, |position| work(order[position]));
    let mut results: Vec<Option<T>> = (0..count).map(|_| None).collect();
    for (&index, result) in order.iter().zip(done) {
        results[index] = Some(result);
    }
    results.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_position_order_whatever_the_lanes() {
        for lanes in [0, 1, 2, 5] {
            let squares = in_lanes(7, lanes, |i| {
                // Uneven costs, so the lanes finish out of order.
                std::thread::sleep(std::time::Duration::from_millis(((7 - i) % 3) as u64));
                i * i
            });
            assert_eq!(squares, vec![0, 1, 4, 9, 16, 25, 36], "{lanes} lanes");
        }
        assert!(in_lanes(0, 2, |i| i).is_empty());
        let costly = in_lanes_costliest_first(5, 2, |i| i as f32, |i| i * 10);
        assert_eq!(costly, vec![0, 10, 20, 30, 40]);
    }

    #[test]
    fn work_is_shared_between_threads() {
        let threads = std::sync::Mutex::new(std::collections::HashSet::new());
        in_lanes(8, 2, |_| {
            threads.lock().unwrap().insert(std::thread::current().id());
            std::thread::sleep(std::time::Duration::from_millis(5));
        });
        assert_eq!(threads.into_inner().unwrap().len(), 2);
    }

    #[test]
    #[should_panic(expected = "lane work failed")]
    fn a_panicking_item_reaches_the_caller() {
        in_lanes(4, 2, |i| {
            if i == 3 {
                panic!("lane work failed");
            }
            i
        });
    }
}
