using EmpowerBot.QuietTime;

namespace EmpowerBot.Tests.QuietTime;

/// <summary>The prompt rule and every guard, on explicit instants (Monday 2026-11-23, New York time unless said).</summary>
public sealed class PromptPolicyTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly DateTimeOffset TenAm = QuietBot.MondayTenAm;
    private static readonly PromptPolicy Policy = PromptPolicy.From(new QuietTimeOptions());

    private static PersonState Record(PersonState s, SignalKind kind, int count, DateTimeOffset from, TimeSpan every)
    {
        for (var i = 0; i < count; i++) s = s.With(kind, from + every * i, Policy.Options);
        return s;
    }

    private static PersonState Busy(DateTimeOffset at) => Record(new PersonState(), SignalKind.InteractionHandled, 20, at - TimeSpan.FromMinutes(57), TimeSpan.FromMinutes(3));

    [Fact]
    public void Twenty_handled_interactions_since_the_last_break_offer_a_break_saying_how_many_and_how_long()
    {
        var s = Record(new PersonState(), SignalKind.InteractionHandled, 22, TenAm, TimeSpan.FromMinutes(90.0 / 21));

        var decision = Policy.Decide(s, TenAm.AddMinutes(90), NewYork);

        Assert.True(decision.Prompt);
        Assert.Equal("You've handled 22 conversations in the last 90 minutes.", decision.Reason);
    }

    [Fact]
    public void Nineteen_handled_interactions_in_under_ninety_minutes_are_not_enough()
    {
        var s = Record(new PersonState(), SignalKind.InteractionHandled, 19, TenAm, TimeSpan.FromMinutes(20));

        Assert.Equal(Guard.NotNeeded, Policy.Decide(s, TenAm.AddMinutes(19 * 20 - 20), NewYork).Guard);
    }

    [Fact]
    public void Ninety_minutes_of_activity_with_gaps_under_fifteen_minutes_offer_a_break()
    {
        var s = Record(new PersonState(), SignalKind.Turn, 10, TenAm, TimeSpan.FromMinutes(10));

        Assert.Equal(Guard.NotNeeded, Policy.Decide(s, TenAm.AddMinutes(80), NewYork).Guard);
        s = s.With(SignalKind.Turn, TenAm.AddMinutes(90), Policy.Options);
        Assert.Equal("You've been working for 90 minutes without a pause.", Policy.Decide(s, TenAm.AddMinutes(90), NewYork).Reason);
    }

    [Fact]
    public void A_pause_of_fifteen_minutes_starts_the_stretch_again()
    {
        var s = Record(new PersonState(), SignalKind.Turn, 8, TenAm, TimeSpan.FromMinutes(10));
        s = Record(s, SignalKind.Turn, 4, TenAm.AddMinutes(70 + 15), TimeSpan.FromMinutes(10));

        Assert.Equal(Guard.NotNeeded, Policy.Decide(s, TenAm.AddMinutes(115), NewYork).Guard);
    }

    [Fact]
    public void Two_difficult_interactions_within_thirty_minutes_offer_a_break_but_not_thirty_one_minutes_apart()
    {
        var close = Record(new PersonState(), SignalKind.DifficultInteraction, 2, TenAm, TimeSpan.FromMinutes(29));
        var apart = Record(new PersonState(), SignalKind.DifficultInteraction, 2, TenAm, TimeSpan.FromMinutes(31));

        Assert.Equal("You've had 2 difficult conversations in the last 30 minutes.", Policy.Decide(close, TenAm.AddMinutes(29), NewYork).Reason);
        Assert.Equal(Guard.NotNeeded, Policy.Decide(apart, TenAm.AddMinutes(31), NewYork).Guard);
    }

    [Theory]
    [InlineData("2026-11-23T13:59:00Z", false)] // 08:59 Monday
    [InlineData("2026-11-23T14:00:00Z", true)] // 09:00
    [InlineData("2026-11-23T21:59:00Z", true)] // 16:59
    [InlineData("2026-11-23T22:00:00Z", false)] // 17:00
    [InlineData("2026-11-21T15:00:00Z", false)] // Saturday 10:00
    public void Prompts_come_only_within_the_team_s_working_hours_in_its_time_zone(string instant, bool working)
    {
        var now = DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(working ? Guard.None : Guard.OutsideWorkingHours, Policy.Decide(Busy(now), now, NewYork).Guard);
    }

    [Fact]
    public void Shift_signals_outrank_the_configured_hours()
    {
        var evening = TenAm.AddHours(10); // 20:00
        var onShift = Busy(evening) with { ShiftStart = evening.AddHours(-2) };
        var shiftOver = Busy(TenAm) with { ShiftStart = TenAm.AddHours(-3), ShiftEnd = TenAm.AddMinutes(-30) };
        var forgottenShift = Busy(evening) with { ShiftStart = evening.AddHours(-15) };

        Assert.Equal(Guard.None, Policy.Decide(onShift, evening, NewYork).Guard);
        Assert.Equal(Guard.OutsideWorkingHours, Policy.Decide(shiftOver, TenAm, NewYork).Guard);
        Assert.Equal(Guard.OutsideWorkingHours, Policy.Decide(forgottenShift, evening, NewYork).Guard);
    }

    [Fact]
    public void Hours_across_midnight_belong_to_the_day_they_start()
    {
        var nights = PromptPolicy.From(new QuietTimeOptions { WorkingHours = "22:00-06:00", WorkingDays = "Mon" });
        var mondayNight = new DateTimeOffset(2026, 11, 24, 7, 0, 0, TimeSpan.Zero); // Tuesday 02:00 in New York
        var tuesdayNight = mondayNight.AddDays(1);

        Assert.True(nights.IsWorkingTime(new PersonState(), mondayNight, NewYork));
        Assert.False(nights.IsWorkingTime(new PersonState(), tuesdayNight, NewYork));
    }

    [Fact]
    public void Prompts_keep_their_distance_and_their_daily_limit()
    {
        var day = PromptPolicy.LocalDay(TenAm, NewYork);
        var justPrompted = Busy(TenAm) with { LastPromptAt = TenAm.AddMinutes(-59), PromptDay = day, PromptsToday = 1 };
        var hourAgo = justPrompted with { LastPromptAt = TenAm.AddMinutes(-60) };
        var thirdToday = hourAgo with { PromptsToday = 3 };
        var thirdYesterday = thirdToday with { PromptDay = "2026-11-22" };

        Assert.Equal(Guard.TooSoon, Policy.Decide(justPrompted, TenAm, NewYork).Guard);
        Assert.Equal(Guard.None, Policy.Decide(hourAgo, TenAm, NewYork).Guard);
        Assert.Equal(Guard.DailyLimit, Policy.Decide(thirdToday, TenAm, NewYork).Guard);
        Assert.Equal(Guard.None, Policy.Decide(thirdYesterday, TenAm, NewYork).Guard);
    }

    [Fact]
    public void Nobody_is_prompted_during_a_break_after_opting_out_after_not_today_or_while_an_offer_is_pending()
    {
        var busy = Busy(TenAm);

        Assert.Equal(Guard.OnBreak, Policy.Decide(busy.OnBreak("b1", TenAm.AddMinutes(-5), TenAm.AddMinutes(5), false), TenAm, NewYork).Guard);
        Assert.Equal(Guard.OptedOut, Policy.Decide(busy with { OptedOut = true }, TenAm, NewYork).Guard);
        Assert.Equal(Guard.DeclinedToday, Policy.Decide(busy.Declined(PromptPolicy.LocalDay(TenAm, NewYork)), TenAm, NewYork).Guard);
        Assert.Equal(Guard.None, Policy.Decide(busy.Declined("2026-11-22"), TenAm, NewYork).Guard);
        Assert.Equal(Guard.Snoozed, Policy.Decide(busy.Snoozed(TenAm.AddMinutes(10)), TenAm, NewYork).Guard);
        Assert.Equal(Guard.WaitingForSlot, Policy.Decide(busy.Waiting(TenAm.AddMinutes(-10)), TenAm, NewYork).Guard);
        // An offer whose re-check was lost for good does not silence the person forever.
        Assert.Equal(Guard.None, Policy.Decide(busy.Waiting(TenAm.AddHours(-2)), TenAm, NewYork).Guard);
        Assert.Equal(Guard.PromptsOff, PromptPolicy.From(new QuietTimeOptions { PromptsEnabled = false }).Decide(busy, TenAm, NewYork).Guard);
    }

    [Fact]
    public void Opting_out_forgets_how_busy_the_person_was_and_records_nothing_more()
    {
        var s = Busy(TenAm).OptedOutNow();

        Assert.Equal(0, s.Handled);
        Assert.Null(s.ActiveSince);
        Assert.Same(s, s.With(SignalKind.InteractionHandled, TenAm, Policy.Options));
    }

    [Fact]
    public void A_break_starts_every_count_afresh_and_signals_during_it_do_not_count()
    {
        var onBreak = Busy(TenAm).OnBreak("b1", TenAm, TenAm.AddMinutes(10), true);

        Assert.Same(onBreak, onBreak.With(SignalKind.InteractionHandled, TenAm.AddMinutes(5), Policy.Options));
        var back = onBreak.BreakEnded(TenAm.AddMinutes(10));
        Assert.Equal((0, null, false), (back.Handled, back.BreakId, back.IsOnBreak(TenAm.AddMinutes(11))));
        Assert.Equal(Guard.NotNeeded, Policy.Decide(back, TenAm.AddMinutes(11), NewYork).Guard);
    }

    [Theory]
    [InlineData(10, 0.3, 3)]
    [InlineData(9, 0.3, 2)]
    [InlineData(2, 0.3, 1)]
    [InlineData(0, 0.3, 1)]
    [InlineData(4, 0.5, 2)]
    public void Coverage_allows_the_share_rounded_down_but_at_least_one(int reps, double share, int capacity) =>
        Assert.Equal(capacity, Coverage.Capacity(reps, share));
}
