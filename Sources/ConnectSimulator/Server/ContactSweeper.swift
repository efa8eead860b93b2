import ServiceLifecycle

/// Plays the contacts' due events once a second, so that endings reach the log while no request
/// comes; stops at graceful shutdown.
struct ContactSweeper: Service {
    let engine: SimulatorEngine
    let clock: SimulatorClock

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                engine.settle(at: clock.now())
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
