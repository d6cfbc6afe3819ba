import Dispatch

/// A task executor on a serial Dispatch queue of its own, for an in-process test server that
/// must answer while the test suite's other bodies hold Swift's cooperative pool (two threads
/// on 2 cores; a synchronous test body holds one for as long as it runs). Child tasks — the
/// server's connections and handlers — inherit the preference (SE-0417).
///
/// A serial queue made with a label gets a thread even when the shared pool's threads are all
/// busy; its jobs never block (blocking work goes through `offload`), so one thread suffices.
final class QueueTaskExecutor: TaskExecutor {
    private let queue: DispatchQueue

    init(label: String) { queue = DispatchQueue(label: label) }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
