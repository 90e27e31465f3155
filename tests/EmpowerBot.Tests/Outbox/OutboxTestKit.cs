using EmpowerBot.Outbox;
using EmpowerBot.Storage;
using EmpowerBot.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EmpowerBot.Tests.Outbox;

/// <summary>Starting bots with test handlers, and reading the outbox's rows.</summary>
internal static class OutboxTestKit
{
    /// <summary>A started bot whose outbox delivers through <paramref name="handlers"/>.</summary>
    public static BotHost Start(Dictionary<string, string?>? settings = null, FakeTimeProvider? clock = null,
        Action<IServiceCollection>? services = null, params IOutboxHandler[] handlers)
    {
        var bot = new BotHost(settings, clock, s =>
        {
            foreach (var handler in handlers) s.AddSingleton<IOutboxHandler>(handler);
            services?.Invoke(s);
        });
        _ = bot.Services; // starts the host, and with it the dispatcher
        return bot;
    }

    public static OutboxWriter Writer(this BotHost bot) => bot.Services.GetRequiredService<OutboxWriter>();

    public static Task EnqueueAsync(this BotHost bot, string id, DateTimeOffset? due = null, string kind = RecordingHandler.DefaultKind) =>
        bot.Writer().EnqueueAsync(OutboxMessage.Create(id, kind, new { note = $"about {id}" }, due ?? bot.Clock.GetUtcNow()), CancellationToken.None);

    /// <summary>Every message and dead letter of the outbox table, all shards (not the shards' dead-letter counts).</summary>
    public static async Task<List<TableEntity>> OutboxRowsAsync(this BotHost bot) =>
        (await bot.OutboxTableAsync()).Where(r => r.RowKey != DeadCountRow).ToList();

    /// <summary>
    /// True when the outbox holds no message. Azurite applies a batch's operations one at a time, so a read can fall
    /// between a claim's delete and its insert and see an outbox only passing through empty: empty means empty on two
    /// reads with a whole poll of the dispatcher between them (every claim under way at the first has landed by then).
    /// <paramref name="butDeadLetters"/>: dead letters do not count (nothing more will be delivered either way).
    /// </summary>
    public static async Task<bool> OutboxEmptyAsync(this BotHost bot, bool butDeadLetters = false)
    {
        async Task<bool> EmptyAsync() => (await bot.OutboxRowsAsync()).All(r => butDeadLetters && r.RowKey.StartsWith(OutboxRows.DeadPrefix));
        if (!await EmptyAsync()) return false;
        await bot.RunOutboxAsync();
        return await EmptyAsync();
    }

    /// <summary>
    /// When nothing in the outbox is due or in delivery but something waits for a later time (a retry's backoff, say),
    /// moves business time towards the first of them, as time would pass on its own (at most half a lease at a time, so
    /// a delivery that started after the look keeps its lease), and says so. A test waiting for the
    /// outbox to finish calls it while it waits, so a delivery retried on a loaded machine does not wait for a clock
    /// that never moves.
    /// </summary>
    public static async Task<bool> SkipToNextDueAsync(this BotHost bot)
    {
        var now = bot.Clock.GetUtcNow().UtcTicks;
        var waiting = (await bot.OutboxRowsAsync()).Where(r => char.IsAsciiDigit(r.RowKey[0])).ToList();
        if (waiting.Count == 0 || waiting.Any(r => r.GetBool(OutboxRows.Leased) || long.Parse(r.RowKey[..19]) <= now)) return false;
        var lease = bot.Services.GetRequiredService<IOptions<OutboxOptions>>().Value.LeaseDuration;
        bot.Clock.Advance(TimeSpan.FromTicks(Math.Min(waiting.Min(r => long.Parse(r.RowKey[..19])) - now, lease.Ticks / 2)));
        return true;
    }

    /// <summary>Every row of the outbox table, all shards.</summary>
    public static async Task<List<TableEntity>> OutboxTableAsync(this BotHost bot)
    {
        var rows = new List<TableEntity>();
        var shards = bot.Services.GetRequiredService<IOptions<OutboxOptions>>().Value.Shards;
        for (var shard = 0; shard < shards; shard++) rows.AddRange(await bot.RowsAsync(Tables.Outbox, shard.ToString()));
        return rows;
    }

    /// <summary>The row key of a shard's dead-letter count.</summary>
    public const string DeadCountRow = "count|dead";

    /// <summary>The dead-letter counts of all shards, added up; null when no shard has one.</summary>
    public static async Task<long?> DeadLetterCountAsync(this BotHost bot)
    {
        var counts = (await bot.OutboxTableAsync()).Where(r => r.RowKey == DeadCountRow).ToList();
        return counts.Count == 0 ? null : counts.Sum(r => r.GetInt64("count"));
    }

    /// <summary>Returns once the sweep at the dispatcher's start has finished every shard (not only counted the first).</summary>
    public static Task StartSweepAsync(this BotHost bot)
    {
        var dispatcher = bot.Services.GetRequiredService<OutboxDispatcher>();
        return Eventually.UntilAsync(() => dispatcher.Sweeps >= 1, "the sweep at start-up");
    }

    /// <summary>Returns once the dispatcher has swept the dead letters of every shard <paramref name="count"/> more times.</summary>
    public static Task SweepsAsync(this BotHost bot, int count = 1)
    {
        var dispatcher = bot.Services.GetRequiredService<OutboxDispatcher>();
        var target = dispatcher.Sweeps + count;
        return Eventually.UntilAsync(() => dispatcher.Sweeps >= target, $"{count} dead-letter sweeps");
    }

    public static async Task<TableEntity> DeadLetterAsync(this BotHost bot, string id) =>
        Assert.Single(await bot.OutboxRowsAsync(), r => r.RowKey == "dead|" + id);
}
