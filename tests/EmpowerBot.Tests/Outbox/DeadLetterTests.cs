using System.Net;
using System.Text.Json;
using EmpowerBot.Outbox;
using EmpowerBot.Storage;
using EmpowerBot.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace EmpowerBot.Tests.Outbox;

/// <summary>Dead letters: counted for /healthz without reading them, kept for their retention, then deleted.</summary>
public sealed class DeadLetterTests : IDisposable
{
    private readonly RecordingHandler handler = new() { Behaviour = (_, _, _) => Task.FromResult(DeliveryOutcome.Failed("rejected")) };
    private readonly BotHost bot;

    public DeadLetterTests() => bot = OutboxTestKit.Start(handlers: handler);

    public void Dispose() => bot.Dispose();

    [Fact]
    public async Task Each_dead_letter_is_counted_once_even_when_its_id_dies_again()
    {
        await bot.EnqueueAsync("twice-1");
        await DeadAsync("twice-1", attempts: 1);
        await bot.EnqueueAsync("twice-1", bot.Clock.GetUtcNow().AddSeconds(1));
        bot.Clock.Advance(TimeSpan.FromSeconds(1));
        await Eventually.UntilAsync(() => handler.Attempts.Count == 2, "the second attempt");
        await bot.EnqueueAsync("other-1");
        await DeadAsync("other-1", attempts: 1);
        await bot.RunOutboxAsync(2);

        Assert.Equal(2, (await bot.OutboxRowsAsync()).Count(r => r.RowKey.StartsWith("dead|")));
        Assert.Equal(2, await bot.DeadLetterCountAsync());
        Assert.Equal(("Degraded", 2), await HealthAsync());
    }

    [Fact]
    public async Task Dead_letters_stored_before_they_were_counted_are_reported_and_counted_by_the_next_sweep()
    {
        // As a shard written by an earlier version holds them: dead letters and no count.
        var store = bot.Services.GetRequiredService<ITableStore>();
        // Once the start-up sweep is over: one still counting shard 0 would write its count over what this test stores.
        await bot.StartSweepAsync();
        await store.SubmitAsync(Tables.Outbox,
        [
            TableOperation.Insert(DeadRow("0", "old-1")),
            TableOperation.Insert(DeadRow("0", "old-2")),
            TableOperation.Delete("0", OutboxTestKit.DeadCountRow, "*"),
        ], CancellationToken.None);

        Assert.Equal(("Degraded", 2), await HealthAsync());

        bot.Clock.Advance(DeadLetterSweep.Interval);
        await bot.SweepsAsync();
        Assert.Equal(2, await bot.DeadLetterCountAsync());
        Assert.Equal(("Degraded", 2), await HealthAsync());
    }

    [Fact]
    public async Task A_dead_letter_past_its_retention_is_deleted_and_no_longer_reported()
    {
        await bot.EnqueueAsync("stale-1");
        await DeadAsync("stale-1", attempts: 1);
        bot.Clock.Advance(TimeSpan.FromDays(7));
        await bot.EnqueueAsync("recent-1");
        await DeadAsync("recent-1", attempts: 1);
        Assert.Equal(("Degraded", 2), await HealthAsync());

        bot.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        await bot.SweepsAsync();

        Assert.Equal(["dead|recent-1"], (await bot.OutboxRowsAsync()).Select(r => r.RowKey));
        Assert.Equal(1, await bot.DeadLetterCountAsync());
        Assert.Equal(("Degraded", 1), await HealthAsync());

        bot.Clock.Advance(TimeSpan.FromDays(7));
        await bot.SweepsAsync();
        Assert.Empty(await bot.OutboxRowsAsync());
        Assert.Equal(("Healthy", 0), await HealthAsync());
    }

    [Fact]
    public async Task Forty_messages_dying_on_two_dispatchers_at_once_are_counted_exactly()
    {
        using var second = ActivatorUtilities.CreateInstance<OutboxDispatcher>(bot.Services);
        await second.StartAsync(CancellationToken.None);
        var ids = Enumerable.Range(0, 40).Select(i => $"doomed-{i:D2}").ToList();

        await Task.WhenAll(ids.Select(id => bot.EnqueueAsync(id)));
        await Eventually.UntilAsync(async () => (await bot.OutboxRowsAsync()).Count(r => r.RowKey.StartsWith("dead|")) == 40, "40 dead letters");
        await second.StopAsync(CancellationToken.None);

        Assert.Equal(40, await bot.DeadLetterCountAsync());
        Assert.Equal(("Degraded", 40), await HealthAsync());
    }

    private TableEntity DeadRow(string shard, string id) => new(shard, "dead|" + id, new Dictionary<string, object?>
    {
        ["kind"] = RecordingHandler.DefaultKind, ["payload"] = "{}", ["attempts"] = 1L, ["lastError"] = "rejected",
        ["deadAt"] = bot.Clock.GetUtcNow(),
    });

    private Task DeadAsync(string id, int attempts) => Eventually.UntilAsync(async () =>
        (await bot.OutboxRowsAsync()).Any(r => r.RowKey == "dead|" + id && r.GetInt64("attempts") == attempts), $"{id} to die");

    private async Task<(string?, int)> HealthAsync()
    {
        using var response = await bot.CreateClient().GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (body.GetProperty("status").GetString(), body.GetProperty("outbox").GetProperty("deadLetters").GetInt32());
    }
}
