using EmpowerBot.QuietTime;
using EmpowerBot.Storage;
using EmpowerBot.Tests.Fixtures;
using EmpowerBot.Tests.Outbox;

namespace EmpowerBot.Tests.QuietTime;

/// <summary>The team coverage guard: at most MaxShareOnBreak of a team's reps away at once, whatever the concurrency.</summary>
public sealed class CoverageTests : IAsyncLifetime
{
    private QuietBot q = null!;

    public async Task InitializeAsync() => q = await QuietBot.StartAsync(reps: 10);

    public async Task DisposeAsync() => await q.DisposeAsync();

    [Fact]
    public async Task Ten_reps_asking_at_once_with_a_thirty_percent_cap_get_exactly_three_breaks_and_the_others_are_next()
    {
        var replies = await Task.WhenAll(Enumerable.Range(0, 10).Select(rep => q.SayAsync(rep, "break")));

        Assert.Equal(3, replies.Count(r => r.Contains("quiet break has started", StringComparison.Ordinal)));
        Assert.Equal(7, replies.Count(r => r.Contains("3 of your team's 10 reps are on a break right now", StringComparison.Ordinal)
            && r.Contains("You're next", StringComparison.Ordinal)));
        Assert.Equal(3, await q.OnBreakAsync());
        var team = await q.Bot.RowsAsync(Tables.QuietTime, $"{Activities.Tenant}|team|demo");
        Assert.Equal(3, team.Count(r => r.RowKey.StartsWith("slot|", StringComparison.Ordinal)));
        Assert.Equal(3, team.Single(r => r.RowKey == "tally|2026-11-23").GetInt64("breaksTaken"));
        Assert.Equal(3, (await Task.WhenAll(Enumerable.Range(0, 10).Select(q.StateAsync))).Count(s => s.BreakId is not null));
    }

    [Fact]
    public async Task Those_who_are_next_are_offered_a_break_as_soon_as_the_first_ones_are_back()
    {
        var replies = await Task.WhenAll(Enumerable.Range(0, 10).Select(rep => q.SayAsync(rep, "break")));
        var away = Enumerable.Range(0, 10).Where(rep => replies[rep].Contains("has started", StringComparison.Ordinal)).ToList();
        var waiting = Enumerable.Range(0, 10).Except(away).ToList();

        await q.AdvanceAsync(TimeSpan.FromMinutes(10));
        foreach (var rep in away) await q.WaitForAsync(rep, "Welcome back");
        await Eventually.UntilAsync(async () => await q.OnBreakAsync() == 0, "every slot to be freed");
        Assert.All(waiting, rep => Assert.Empty(q.SentTo(rep)));

        await q.AdvanceAsync(TimeSpan.FromSeconds(15));
        foreach (var rep in waiting) Assert.Contains(BreakCards.SlotFree, await q.WaitForAsync(rep, QuietBot.Offer));

        // The first three to accept get the slots; the fourth is next again.
        var answers = new List<string>();
        foreach (var rep in waiting.Take(4)) answers.Add(await q.ClickAsync(rep, "break.start", new { minutes = 10 }));
        Assert.Equal(3, answers.Count(a => a.Contains("quiet break has started", StringComparison.Ordinal)));
        Assert.Contains("You're next", answers[3]);
        Assert.Equal(3, await q.OnBreakAsync());
    }

    [Fact]
    public async Task A_prompt_when_the_team_is_full_says_the_rep_is_next_instead_of_offering_a_break()
    {
        await Task.WhenAll(Enumerable.Range(1, 3).Select(rep => q.SayAsync(rep, "break")));
        await q.SayAsync(0, "help");

        await q.SignalOkAsync(QuietBot.Many("interaction-handled", 0, 20));

        var note = await q.WaitForAsync(0, "You're next");
        Assert.Contains("You've handled 20 conversations in the last few minutes. You've earned a break, but 3 of your team's 10 reps", note);
        Assert.DoesNotContain(QuietBot.Offer, note);
        await q.AdvanceAsync(TimeSpan.FromMinutes(10));
        await Eventually.UntilAsync(async () => await q.OnBreakAsync() == 0, "the three to be back");
        await q.AdvanceAsync(TimeSpan.FromSeconds(15));
        Assert.Contains(BreakCards.SlotFree, await q.WaitForAsync(0, QuietBot.Offer));
    }

    [Fact]
    public async Task Slots_whose_breaks_ended_long_ago_are_freed_by_the_next_start()
    {
        // As a crash between taking a slot and queuing its end would leave them.
        var partition = $"{Activities.Tenant}|team|demo";
        var lost = q.Clock.GetUtcNow().AddMinutes(-11);
        await q.Bot.Store.SubmitAsync(Tables.QuietTime,
        [
            TableOperation.Insert(new TableEntity(partition, "coverage", new Dictionary<string, object?> { ["onBreak"] = 3L })),
            .. Enumerable.Range(0, 3).Select(i => TableOperation.Insert(new TableEntity(partition, $"slot|lost{i}", new Dictionary<string, object?> { ["until"] = lost }))),
        ], default);

        Assert.Contains("quiet break has started", await q.SayAsync(0, "break"));
        Assert.Equal(1, await q.OnBreakAsync());
        Assert.Single(await q.Bot.RowsAsync(Tables.QuietTime, partition), r => r.RowKey.StartsWith("slot|", StringComparison.Ordinal));
    }

    [Fact]
    public async Task People_who_joined_the_default_team_count_in_its_size()
    {
        // Alex is the demo team's one rep on the roster; reps 1 to 6 are on no roster and join it (the default team).
        await using var joined = await QuietBot.StartAsync(reps: 1);
        foreach (var rep in Enumerable.Range(1, 6)) await joined.SayAsync(rep, "help");

        Assert.Contains("quiet break has started", await joined.SayAsync(1, "break"));
        Assert.Contains("quiet break has started", await joined.SayAsync(2, "break"));
        Assert.Contains("2 of your team's 7 reps are on a break right now", await joined.SayAsync(3, "break"));
        Assert.Equal(2, await joined.OnBreakAsync());
    }

    [Fact]
    public async Task Managers_breaks_take_no_slot_from_the_reps()
    {
        await Task.WhenAll(Enumerable.Range(1, 3).Select(rep => q.SayAsync(rep, "break")));

        Assert.Contains("quiet break has started", await q.ManagerSaysAsync("break"));
        Assert.Equal(3, await q.OnBreakAsync());
    }
}
