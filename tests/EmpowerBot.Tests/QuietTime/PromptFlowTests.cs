using EmpowerBot.Tests.Fixtures;
using EmpowerBot.Tests.Outbox;

namespace EmpowerBot.Tests.QuietTime;

/// <summary>Prompts end to end: signals and turns in, a private card out through the outbox, the rep's three answers.</summary>
public sealed class PromptFlowTests : IAsyncLifetime
{
    private QuietBot q = null!;

    public async Task InitializeAsync()
    {
        q = await QuietBot.StartAsync(reps: 2);
        await q.SayAsync(0, "help"); // the bot learns where to reach Alex
    }

    public async Task DisposeAsync() => await q.DisposeAsync();

    /// <summary>22 handled interactions spread over 90 minutes, in batches of two.</summary>
    private async Task WorkFlatOutAsync(int rep = 0)
    {
        for (var i = 0; i < 11; i++)
        {
            if (i > 0) await q.AdvanceAsync(TimeSpan.FromMinutes(9));
            await q.SignalOkAsync(QuietBot.Many("interaction-handled", rep, 2));
        }
    }

    [Fact]
    public async Task A_rep_working_flat_out_gets_a_private_card_offering_a_ten_minute_break_with_three_answers()
    {
        await WorkFlatOutAsync();

        var prompt = await q.WaitForAsync(0, QuietBot.Offer);
        Assert.Contains("You've handled 20 conversations in the last 81 minutes. Take a 10-minute quiet break?", prompt);
        foreach (var part in new[] { "Start break", "break.start", "In 15 min", "break.snooze", "Not today", "break.decline", "Only you see this" })
            Assert.Contains(part, prompt);
        Assert.Single(q.SentTo(0));
    }

    [Fact]
    public async Task Ninety_minutes_of_chatting_with_the_bot_counts_as_continuous_activity()
    {
        for (var i = 0; i < 8; i++)
        {
            await q.AdvanceAsync(TimeSpan.FromMinutes(10));
            await q.SayAsync(0, "budget");
        }
        await q.AssertNothingSentAsync(0);
        await q.AdvanceAsync(TimeSpan.FromMinutes(10));
        await q.SayAsync(0, "budget");

        Assert.Contains("You've been working for 90 minutes without a pause.", await q.WaitForAsync(0, QuietBot.Offer));
    }

    [Fact]
    public async Task Two_difficult_conversations_within_half_an_hour_bring_the_offer()
    {
        await q.SignalOkAsync(QuietBot.Events(("difficult-interaction", 0)));
        await q.AdvanceAsync(TimeSpan.FromMinutes(20));
        await q.SignalOkAsync(QuietBot.Events(("difficult-interaction", 0)));

        Assert.Contains("You've had 2 difficult conversations in the last 30 minutes.", await q.WaitForAsync(0, QuietBot.Offer));
    }

    [Fact]
    public async Task Start_break_on_the_card_confirms_the_end_time_and_welcome_back_comes_when_it_ends()
    {
        await WorkFlatOutAsync();
        await q.WaitForAsync(0, QuietBot.Offer);

        var card = await q.ClickAsync(0, "break.start", new { minutes = 10 });

        Assert.Contains("Your 10-minute quiet break has started", card);
        Assert.Contains("11:40 AM", card); // 10:00 + 90 minutes of work + 10 minutes of break
        Assert.Equal(1, await q.OnBreakAsync());
        await q.AdvanceAsync(TimeSpan.FromMinutes(10));
        Assert.Contains("Welcome back, Alex!", await q.WaitForAsync(0, "Welcome back"));
        await Eventually.UntilAsync(async () => await q.OnBreakAsync() == 0, "the slot to be freed");
        Assert.False((await q.StateAsync(0)).IsOnBreak(q.Clock.GetUtcNow()));
    }

    [Fact]
    public async Task Start_break_clicked_again_starts_nothing_new_and_shows_the_running_break_in_place_of_the_prompt()
    {
        await WorkFlatOutAsync();
        await q.WaitForAsync(0, QuietBot.Offer);
        await q.ClickAsync(0, "break.start", new { minutes = 10 });

        var again = await q.ClickAsync(0, "break.start", new { minutes = 10 });

        Assert.Contains("Your quiet break has started", again);
        Assert.Contains("11:40 AM", again);
        Assert.Equal(1, await q.OnBreakAsync());
    }

    [Fact]
    public async Task In_fifteen_minutes_brings_the_offer_back_once_and_not_before()
    {
        await WorkFlatOutAsync();
        await q.WaitForAsync(0, QuietBot.Offer);

        var answer = await q.ClickAsync(0, "break.snooze");
        Assert.Contains("again at 11:45 AM", answer);
        await q.AdvanceAsync(TimeSpan.FromMinutes(14));
        await q.SignalOkAsync(QuietBot.Many("interaction-handled", 0, 3));
        await q.AssertNothingPendingAsync(QuietBot.Aad(0));
        Assert.Single(q.SentTo(0));

        await q.AdvanceAsync(TimeSpan.FromMinutes(1));
        Assert.Contains("Here's the break you put off", await q.WaitForAsync(0, "put off"));
        Assert.Equal(2, q.SentTo(0).Count);
    }

    [Fact]
    public async Task Not_today_means_no_more_offers_until_the_next_working_day()
    {
        await WorkFlatOutAsync();
        await q.WaitForAsync(0, QuietBot.Offer);

        Assert.Contains("won't suggest another break today", await q.ClickAsync(0, "break.decline"));
        await q.AdvanceAsync(TimeSpan.FromHours(2));
        await WorkFlatOutAsync();
        await q.AssertNothingPendingAsync(QuietBot.Aad(0));
        Assert.Single(q.SentTo(0));

        await q.AdvanceAsync(TimeSpan.FromHours(19)); // Tuesday, 10:00 and a bit
        await WorkFlatOutAsync();
        await q.WaitForAsync(0, QuietBot.Offer, count: 2);
    }

    [Fact]
    public async Task Offers_keep_an_hour_apart_and_stop_after_three_a_day()
    {
        await WorkFlatOutAsync(); // offer 1 at 11:21, left unanswered; the clock is at 11:30
        await q.WaitForAsync(0, QuietBot.Offer);
        await q.AdvanceAsync(TimeSpan.FromMinutes(50));
        await q.SignalOkAsync(QuietBot.Many("interaction-handled", 0, 1)); // 12:20
        await q.AssertNothingPendingAsync(QuietBot.Aad(0));
        Assert.Single(q.SentTo(0));

        await q.AdvanceAsync(TimeSpan.FromMinutes(1));
        await q.SignalOkAsync(QuietBot.Many("interaction-handled", 0, 1)); // offer 2 at 12:21
        await q.WaitForAsync(0, QuietBot.Offer, count: 2);
        await q.AdvanceAsync(TimeSpan.FromMinutes(50));
        await q.SignalOkAsync(QuietBot.Many("interaction-handled", 0, 1));
        await q.AdvanceAsync(TimeSpan.FromMinutes(10));
        await q.SignalOkAsync(QuietBot.Many("interaction-handled", 0, 1)); // offer 3 at 13:21
        await q.WaitForAsync(0, QuietBot.Offer, count: 3);
        await q.AdvanceAsync(TimeSpan.FromMinutes(50));
        await q.SignalOkAsync(QuietBot.Many("interaction-handled", 0, 1));
        await q.AdvanceAsync(TimeSpan.FromMinutes(10));
        await q.SignalOkAsync(QuietBot.Many("interaction-handled", 0, 1)); // 14:21: the day's three are used

        await q.AssertNothingPendingAsync(QuietBot.Aad(0));
        Assert.Equal(3, q.SentTo(0).Count);
    }

    [Fact]
    public async Task Nobody_is_offered_a_break_outside_working_hours_unless_their_shift_says_they_are_working()
    {
        await q.AdvanceAsync(TimeSpan.FromHours(9)); // 19:00
        await q.SignalOkAsync(QuietBot.Many("interaction-handled", 0, 25));
        await q.AssertNothingSentAsync(0);

        await q.SignalOkAsync(QuietBot.Events(("shift-start", 0)));
        await q.SignalOkAsync(QuietBot.Many("interaction-handled", 0, 20));
        await q.WaitForAsync(0, QuietBot.Offer);

        await q.SignalOkAsync(QuietBot.Events(("shift-end", 0)));
        await q.AdvanceAsync(TimeSpan.FromHours(2));
        await q.SignalOkAsync(QuietBot.Many("interaction-handled", 0, 25));
        await q.AssertNothingPendingAsync(QuietBot.Aad(0));
        Assert.Single(q.SentTo(0));
    }

    [Fact]
    public async Task Breaks_off_stops_offers_and_breaks_on_starts_them_again()
    {
        Assert.Contains("Break suggestions are off", await q.SayAsync(0, "breaks off"));
        await WorkFlatOutAsync();
        await q.AssertNothingSentAsync(0);
        Assert.Equal(0, (await q.StateAsync(0)).Handled);

        Assert.Contains("Break suggestions are on", await q.SayAsync(0, "breaks on"));
        await WorkFlatOutAsync();
        await q.WaitForAsync(0, QuietBot.Offer);
    }

    [Fact]
    public async Task Managers_are_neither_tracked_nor_prompted()
    {
        await q.ManagerSaysAsync("help");
        await q.SignalOkAsync(new { id = "megan-1", events = Enumerable.Repeat(new { type = "interaction-handled", email = "meganb@contoso.example", tenant = Activities.Tenant }, 30) });

        await q.AssertNothingSentAsync(Activities.MeganAad);
        var megan = await q.Get<EmpowerBot.QuietTime.PersonStates>().ReadAsync(Activities.Tenant, "aad:" + Activities.MeganAad, default);
        Assert.Equal((0, (DateTimeOffset?)null), (megan.Handled, megan.LastActive));
    }
}
