using EmpowerBot.Outbox;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace EmpowerBot.Tests.Fixtures;

/// <summary>
/// In tests business time moves only when a test moves it. Each move wakes this host's outbox dispatcher, as the
/// enqueuing of a message due now does, so what fell due (a reminder, a retry, an expired lease) is delivered at once
/// and the host need not poll often: a one-shot timer on the fake clock, set again each time it fires.
/// </summary>
internal sealed class OutboxAlarm(FakeTimeProvider clock, OutboxSignal signal) : IHostedService, IDisposable
{
    private ITimer? timer;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        timer = clock.CreateTimer(_ => Ring(), null, TimeSpan.FromTicks(1), Timeout.InfiniteTimeSpan);
        return Task.CompletedTask;
    }

    private void Ring()
    {
        signal.Wake();
        // Due a tick after the new now: the next move of the clock, however small, rings again (a periodic timer would
        // ring once per tick of a long move).
        timer?.Change(TimeSpan.FromTicks(1), Timeout.InfiniteTimeSpan);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => timer?.Dispose();
}
