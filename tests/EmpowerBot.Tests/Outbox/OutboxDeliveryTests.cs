using System.Net;
using System.Text.Json;
using EmpowerBot.Outbox;
using EmpowerBot.Storage;
using EmpowerBot.Tests.Fixtures;

namespace EmpowerBot.Tests.Outbox;

/// <summary>One bot, one test handler: what becomes of a message for each answer the handler gives.</summary>
public sealed class OutboxDeliveryTests : IDisposable
{
    private readonly RecordingHandler handler = new();
    private readonly BotHost bot;

    public OutboxDeliveryTests() => bot = OutboxTestKit.Start(handlers: handler);

    public void Dispose() => bot.Dispose();

    [Fact]
    public async Task A_due_message_is_delivered_once_and_removed()
    {
        await bot.EnqueueAsync("note-1");

        await Eventually.UntilAsync(() => bot.OutboxEmptyAsync(), "the message to leave the outbox");
        await bot.RunOutboxAsync(2);

        var (message, attempt) = Assert.Single(handler.Attempts);
        Assert.Equal(("note-1", RecordingHandler.DefaultKind, 1), (message.Id, message.Kind, attempt));
        Assert.Equal("about note-1", message.ReadPayload<JsonElement>().GetProperty("note").GetString());
    }

    [Fact]
    public async Task A_future_message_waits_until_the_clock_reaches_it()
    {
        var due = bot.Clock.GetUtcNow().AddHours(1);
        await bot.EnqueueAsync("reminder-1", due);

        bot.Clock.Advance(TimeSpan.FromMinutes(59));
        await bot.RunOutboxAsync(2);
        Assert.Empty(handler.Attempts);

        bot.Clock.Advance(TimeSpan.FromMinutes(1));
        await Eventually.UntilAsync(() => handler.Attempts.Count == 1, "the delivery at its due time");
        Assert.Equal(due, handler.Attempts[0].Message.Due);
    }

    [Fact]
    public async Task A_failing_handler_is_retried_with_backoff_and_then_delivered()
    {
        var calls = 0;
        handler.Behaviour = (_, _, _) => Interlocked.Increment(ref calls) switch
        {
            1 => Task.FromResult(DeliveryOutcome.RetryLater("peer busy")),
            2 => throw new InvalidOperationException("peer exploded"),
            _ => Task.FromResult(DeliveryOutcome.Delivered),
        };
        await bot.EnqueueAsync("flaky-1");

        // Default backoff: 2 s doubled per attempt, each delay between half and all of it.
        var first = await RetryRowAsync(attempts: 1);
        AssertDueWithin(first.Due, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
        Assert.Equal("peer busy", first.Row.GetString("lastError"));

        bot.Clock.Advance(TimeSpan.FromSeconds(2));
        var second = await RetryRowAsync(attempts: 2);
        AssertDueWithin(second.Due, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4));
        Assert.Equal("InvalidOperationException: peer exploded", second.Row.GetString("lastError"));

        bot.Clock.Advance(TimeSpan.FromSeconds(4));
        await Eventually.UntilAsync(() => bot.OutboxEmptyAsync(), "the third attempt to deliver");
        Assert.Equal([1, 2, 3], handler.Attempts.Select(a => a.Attempt));
    }

    [Fact]
    public async Task A_retry_after_from_the_handler_sets_the_next_attempt()
    {
        handler.Answering(DeliveryOutcome.RetryLater("throttled", TimeSpan.FromMinutes(7)));
        await bot.EnqueueAsync("throttled-1");

        var retry = await RetryRowAsync(attempts: 1);

        Assert.Equal(bot.Clock.GetUtcNow().AddMinutes(7), retry.Due);
    }

    [Fact]
    public async Task A_message_past_MaxAge_goes_to_the_dead_letters_and_healthz_shows_it()
    {
        handler.Behaviour = (_, _, _) => Task.FromResult(DeliveryOutcome.RetryLater("billing system down"));
        await bot.EnqueueAsync("stale-1");
        await RetryRowAsync(attempts: 1);

        bot.Clock.Advance(TimeSpan.FromHours(25));

        await Eventually.UntilAsync(async () => (await bot.OutboxRowsAsync()).Any(r => r.RowKey == "dead|stale-1"), "the dead letter");
        var dead = await bot.DeadLetterAsync("stale-1");
        Assert.Contains("billing system down", dead.GetString("lastError"));
        Assert.Equal(2, dead.GetInt64("attempts"));
        Assert.Single(await bot.OutboxRowsAsync());

        var (status, health) = await HealthAsync();
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Degraded", health.GetProperty("status").GetString());
        Assert.Equal(1, health.GetProperty("outbox").GetProperty("deadLetters").GetInt32());
    }

    [Fact]
    public async Task A_message_of_an_unknown_kind_goes_to_the_dead_letters_with_the_reason()
    {
        await bot.EnqueueAsync("mystery-1", kind: "nobody.handles.this");

        await Eventually.UntilAsync(async () => (await bot.OutboxRowsAsync()).Any(r => r.RowKey == "dead|mystery-1"), "the dead letter");

        var dead = await bot.DeadLetterAsync("mystery-1");
        Assert.Contains("nobody.handles.this", dead.GetString("lastError"));
        Assert.Equal("nobody.handles.this", dead.GetString("kind"));
        Assert.Empty(handler.Attempts);
    }

    [Fact]
    public async Task A_failed_delivery_is_kept_as_a_dead_letter_and_a_dropped_one_is_not()
    {
        handler.Behaviour = (m, _, _) => Task.FromResult(m.Id == "bad-1" ? DeliveryOutcome.Failed("rejected") : DeliveryOutcome.Drop("moot"));
        await bot.EnqueueAsync("bad-1");
        await bot.EnqueueAsync("moot-1");

        await Eventually.UntilAsync(() => handler.Attempts.Count == 2, "both attempts");
        await Eventually.UntilAsync(async () => (await bot.OutboxRowsAsync()).Select(r => r.RowKey).SequenceEqual(["dead|bad-1"]), "only the dead letter left");

        Assert.Equal("rejected", (await bot.DeadLetterAsync("bad-1")).GetString("lastError"));
    }

    [Fact]
    public async Task Enqueuing_the_same_id_and_due_twice_delivers_once()
    {
        var due = bot.Clock.GetUtcNow().AddMinutes(5);
        await bot.EnqueueAsync("twice-1", due);
        await bot.EnqueueAsync("twice-1", due);
        Assert.Single(await bot.OutboxRowsAsync());

        bot.Clock.Advance(TimeSpan.FromMinutes(5));
        await Eventually.UntilAsync(() => bot.OutboxEmptyAsync(), "the delivery");
        await bot.RunOutboxAsync(2);

        Assert.Single(handler.Attempts);
    }

    [Fact]
    public async Task A_cancelled_reminder_is_never_delivered()
    {
        var due = bot.Clock.GetUtcNow().AddHours(4);
        await bot.EnqueueAsync("reminder-2", due);

        Assert.True(await bot.Writer().CancelAsync("reminder-2", due, CancellationToken.None));
        Assert.False(await bot.Writer().CancelAsync("reminder-2", due, CancellationToken.None));
        bot.Clock.Advance(TimeSpan.FromHours(5));
        await bot.RunOutboxAsync(2);

        Assert.Empty(handler.Attempts);
        Assert.Empty(await bot.OutboxRowsAsync());
    }

    [Fact]
    public async Task Healthz_reports_how_long_the_oldest_message_has_waited()
    {
        // Waiting for its retry (within Outbox:RetryMaxDelay), a message is still pending since it was first due.
        handler.Behaviour = (_, _, _) => Task.FromResult(DeliveryOutcome.RetryLater("down", TimeSpan.FromMinutes(5)));
        var (_, empty) = await HealthAsync();
        Assert.Equal(("Healthy", 0, 0), Describe(empty));

        await bot.EnqueueAsync("waiting-1");
        await RetryRowAsync(attempts: 1);
        bot.Clock.Advance(TimeSpan.FromSeconds(90));

        var (status, health) = await HealthAsync();
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("Healthy", 0, 90), Describe(health));
    }

    private static (string?, int, long) Describe(JsonElement health) =>
        (health.GetProperty("status").GetString(), health.GetProperty("outbox").GetProperty("deadLetters").GetInt32(),
         health.GetProperty("outbox").GetProperty("oldestPendingSeconds").GetInt64());

    /// <summary>Waits until the message's single row is back in the queue (not leased) after <paramref name="attempts"/> attempts.</summary>
    private async Task<(TableEntity Row, DateTimeOffset Due)> RetryRowAsync(int attempts)
    {
        TableEntity? row = null;
        await Eventually.UntilAsync(async () =>
        {
            row = (await bot.OutboxRowsAsync()).SingleOrDefault(r => r.GetInt64("attempts") == attempts && !r.GetBool("leased"));
            return row is not null;
        }, $"the retry after attempt {attempts}");
        return (row!, new DateTimeOffset(long.Parse(row!.RowKey[..19]), TimeSpan.Zero));
    }

    private void AssertDueWithin(DateTimeOffset due, TimeSpan min, TimeSpan max)
    {
        var delay = due - bot.Clock.GetUtcNow();
        Assert.InRange(delay, min, max);
    }

    private async Task<(HttpStatusCode, JsonElement)> HealthAsync()
    {
        using var response = await bot.CreateClient().GetAsync("/healthz");
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }
}
