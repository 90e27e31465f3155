using System.Collections.Concurrent;
using EmpowerBot.Outbox;
using EmpowerBot.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace EmpowerBot.Tests.Outbox;

/// <summary>Invariant 3 under stress: several dispatchers on one store, restarts, peer outages and crashes mid-delivery.</summary>
public sealed class OutboxRestartTests : IAsyncLifetime
{
    private const string Secret = "whsec-test-0123456789";
    private readonly string dataDir = Path.Combine(Path.GetTempPath(), "empowerbot-tests", Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 22, 15, 0, 0, TimeSpan.Zero));
    private FakeWebhook webhook = null!;

    public async Task InitializeAsync() => webhook = await FakeWebhook.StartAsync();

    public async Task DisposeAsync()
    {
        await webhook.DisposeAsync();
        try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Fact]
    public async Task Two_dispatchers_on_one_store_deliver_each_of_50_messages_exactly_once()
    {
        var deliveries = new ConcurrentDictionary<string, int>();
        var handler = new RecordingHandler
        {
            Behaviour = async (m, _, _) =>
            {
                deliveries.AddOrUpdate(m.Id, 1, (_, n) => n + 1);
                await Task.Yield();
                return DeliveryOutcome.Delivered;
            },
        };
        using var bot = OutboxTestKit.Start(Settings(), clock, handlers: handler);
        // A second instance on the same store, as a second bot instance would be: its own loop, the same table.
        using var second = ActivatorUtilities.CreateInstance<OutboxDispatcher>(bot.Services);
        await second.StartAsync(CancellationToken.None);

        var ids = Enumerable.Range(0, 50).Select(i => $"msg-{i:D2}").ToList();
        await Task.WhenAll(ids.Select(id => bot.EnqueueAsync(id)));
        await Eventually.UntilAsync(() => bot.OutboxEmptyAsync(), "all 50 to leave the outbox");
        await bot.RunOutboxAsync(2);
        await second.StopAsync(CancellationToken.None);

        Assert.Equal(ids, deliveries.Keys.Order());
        Assert.All(deliveries, d => Assert.Equal(1, d.Value));
        Assert.Equal(0, handler.Overlaps);
    }

    [Fact]
    public async Task Messages_enqueued_while_the_webhook_is_down_are_all_delivered_after_a_restart()
    {
        var ids = Enumerable.Range(0, 12).Select(i => $"credit-{i:D2}").ToList();
        webhook.Down = true;
        using (var first = OutboxTestKit.Start(Settings(), clock))
        {
            await Task.WhenAll(ids.Select(id => first.Writer().EnqueueAsync(
                BillingWebhookHandler.Message(id, new { creditId = id, amountMinor = 1500 }, clock.GetUtcNow()), CancellationToken.None)));
            await Eventually.UntilAsync(() => webhook.Requests.Count > 0, "an attempt against the dead webhook");
        }
        Assert.Empty(webhook.Delivered);

        webhook.Down = false;
        // Past every backoff and lease the first host may have left behind (moved before the next host starts, so
        // its own deliveries are not cut short by leases running out under them).
        clock.Advance(TimeSpan.FromMinutes(15));
        using var second = OutboxTestKit.Start(Settings(), clock);
        await Eventually.UntilAsync(() => second.OutboxEmptyAsync(), "every message to leave the outbox");

        var delivered = webhook.Delivered;
        Assert.Equal(ids, delivered.Select(r => r.Header("Idempotency-Key")).Distinct().Order());
        Assert.All(delivered, r => Assert.True(WebhookSignature.Verify(Secret, r.Header("X-EmpowerBot-Timestamp"), r.Body, r.Header("X-EmpowerBot-Signature"))));
        Assert.All(delivered, r => Assert.Contains($"\"creditId\":\"{r.Header("Idempotency-Key")}\"", r.Body));
    }

    [Fact]
    public async Task A_delivery_cut_short_by_a_crash_is_delivered_by_the_next_host_after_the_lease()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stuck = new RecordingHandler
        {
            // Ignores its token and never returns, like a process that dies mid-call: nothing is recorded.
            Behaviour = (_, _, _) =>
            {
                started.TrySetResult();
                return new TaskCompletionSource<DeliveryOutcome>().Task;
            },
        };
        var first = OutboxTestKit.Start(Settings(), clock, BotHost.StopsAtOnce, stuck);
        await first.EnqueueAsync("card-1");
        await started.Task.WaitAsync(Eventually.Patience);
        first.Dispose();

        var healthy = new RecordingHandler();
        using var second = OutboxTestKit.Start(Settings(), clock, handlers: healthy);
        await second.RunOutboxAsync(2);
        Assert.Empty(healthy.Attempts);

        clock.Advance(TimeSpan.FromMinutes(2));
        await Eventually.UntilAsync(() => healthy.Attempts.Count == 1, "the delivery after the lease");

        var (message, attempt) = healthy.Attempts[0];
        Assert.Equal(("card-1", 2), (message.Id, attempt));
        await Eventually.UntilAsync(() => second.OutboxEmptyAsync(), "the outbox to empty");
    }

    [Fact]
    public async Task The_messages_a_dead_instance_had_in_flight_are_delivered_by_another_within_30_seconds_once_each()
    {
        var inFlight = 0;
        var stuck = new RecordingHandler
        {
            // Never returns, like a process that dies mid-call: nothing is recorded, and no lease is given back.
            Behaviour = (_, _, _) =>
            {
                Interlocked.Increment(ref inFlight);
                return new TaskCompletionSource<DeliveryOutcome>().Task;
            },
        };
        var dead = OutboxTestKit.Start(Settings(), clock, BotHost.StopsAtOnce, stuck);
        var ids = Enumerable.Range(0, 8).Select(i => $"card-{i}").ToList();
        foreach (var id in ids) await dead.EnqueueAsync(id);
        await Eventually.UntilAsync(() => Volatile.Read(ref inFlight) == 8, "eight deliveries in flight");
        dead.Dispose();

        var healthy = new RecordingHandler();
        using var alive = OutboxTestKit.Start(Settings(), clock, handlers: healthy);
        await alive.RunOutboxAsync(2);
        clock.Advance(TimeSpan.FromSeconds(30));
        await Eventually.UntilAsync(() => alive.OutboxEmptyAsync(), "the dead instance's messages to be delivered");

        Assert.Equal(ids, healthy.Attempts.Select(a => a.Message.Id).Order());
        Assert.All(healthy.Attempts, a => Assert.Equal(2, a.Attempt));
    }

    [Fact]
    public async Task A_delivery_that_runs_past_its_lease_keeps_it_and_no_other_instance_delivers_the_message_again()
    {
        var release = new TaskCompletionSource<DeliveryOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = new RecordingHandler { Behaviour = (_, _, ct) => release.Task.WaitAsync(ct) };
        using var bot = OutboxTestKit.Start(Settings(), clock, handlers: slow);
        using var second = ActivatorUtilities.CreateInstance<OutboxDispatcher>(bot.Services);
        await second.StartAsync(CancellationToken.None);
        await bot.EnqueueAsync("long-1");
        await Eventually.UntilAsync(() => slow.Attempts.Count == 1, "the first attempt");

        // Past any lease length, in steps short enough for each renewal to land before the lease it extends runs out:
        // each step wakes one renewal (every third of the 20 s lease), and the clock moves on only once it has landed
        // (the row moved to its new due key), as it would in real time, however slow this machine is right now.
        for (var step = 0; step < 18; step++)
        {
            var leased = Assert.Single(await bot.OutboxRowsAsync()).RowKey;
            clock.Advance(TimeSpan.FromSeconds(8));
            await Eventually.UntilAsync(async () => (await bot.OutboxRowsAsync()).SingleOrDefault()?.RowKey is { } now && now != leased, "the lease renewal");
            await bot.RunOutboxAsync(2);
        }
        release.SetResult(DeliveryOutcome.Delivered);
        await Eventually.UntilAsync(() => bot.OutboxEmptyAsync(), "the delivery to be recorded");
        await second.StopAsync(CancellationToken.None);

        Assert.Single(slow.Attempts);
        Assert.Equal(0, slow.Overlaps);
    }

    private Dictionary<string, string?> Settings() => new()
    {
        ["Storage:SqlitePath"] = Path.Combine(dataDir, "shared.db"),
        ["Billing:WebhookUrl"] = webhook.Url.ToString(),
        ["Billing:SigningSecret"] = Secret,
        ["Resilience:MaxRetries"] = "1",
    };
}
