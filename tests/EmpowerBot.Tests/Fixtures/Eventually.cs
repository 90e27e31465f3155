using EmpowerBot.Outbox;
using EmpowerBot.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Tests.Fixtures;

/// <summary>
/// The one way the tests wait for something the bot does in the background: poll a condition until it holds, fail
/// with what was awaited if it never does. The patience is generous (a loaded CI machine) and never asserted on:
/// a test's outcome does not depend on how long anything took.
/// </summary>
public static class Eventually
{
    /// <summary>The one budget of every wait: only a failing test ever waits this long.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? patience = null)
    {
        if (!await TryUntilAsync(condition, patience)) Assert.Fail($"Timed out waiting for {what}.");
    }

    /// <summary>As <see cref="UntilAsync(Func{Task{bool}}, string, TimeSpan?)"/>, for callers that assert themselves: false when it never held.</summary>
    public static async Task<bool> TryUntilAsync(Func<Task<bool>> condition, TimeSpan? patience = null)
    {
        var deadline = DateTime.UtcNow + (patience ?? Patience);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(10);
        }
        return true;
    }

    public static Task<bool> TryUntilAsync(Func<bool> condition, TimeSpan? patience = null) =>
        TryUntilAsync(() => Task.FromResult(condition()), patience);

    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? patience = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, patience);

    /// <summary>
    /// Returns once the bot's outbox has nothing left to do now: no message due at the bot's business time and none
    /// being delivered, seen again after two more polls of every shard. What the bot was going to send has been sent,
    /// so a test can then assert that nothing more arrived, without sleeping.
    /// </summary>
    public static async Task OutboxIdleAsync(this BotHost bot)
    {
        var shards = bot.Services.GetRequiredService<IOptions<OutboxOptions>>().Value.Shards;
        for (var settled = 0; settled < 2;)
        {
            await UntilAsync(() => IdleAsync(bot, shards), "the outbox to have nothing due or in delivery");
            await bot.RunOutboxAsync();
            settled = await IdleAsync(bot, shards) ? settled + 1 : 0;
        }
    }

    /// <summary>
    /// Runs the outbox: wakes the host's dispatcher, again each time it would wait, and returns once it has polled every
    /// shard <paramref name="count"/> more times after this call, whatever Outbox:PollInterval says. Every message due
    /// when this was called has been claimed, and its delivery started, by then.
    /// </summary>
    public static Task RunOutboxAsync(this BotHost bot, int count = 1)
    {
        var dispatcher = bot.Services.GetRequiredService<OutboxDispatcher>();
        var signal = bot.Services.GetRequiredService<OutboxSignal>();
        var target = dispatcher.Polls + count + 1; // the poll under way may have read its shard before this call
        return UntilAsync(() =>
        {
            signal.Wake();
            return dispatcher.Polls >= target;
        }, $"{count} polls of the outbox");
    }

    private static async Task<bool> IdleAsync(BotHost bot, int shards)
    {
        var now = bot.Clock.GetUtcNow().UtcTicks;
        for (var shard = 0; shard < shards; shard++)
        {
            foreach (var row in await bot.RowsAsync(Tables.Outbox, shard.ToString()))
            {
                // Dead letters and the shards' counts of them ("dead|…", "count|dead") are never due.
                if (!char.IsAsciiDigit(row.RowKey[0])) continue;
                if (row.GetBool("leased") || long.Parse(row.RowKey[..19]) <= now) return false;
            }
        }
        return true;
    }
}
