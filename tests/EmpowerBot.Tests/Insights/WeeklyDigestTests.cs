using EmpowerBot.Insights;
using EmpowerBot.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace EmpowerBot.Tests.Insights;

/// <summary>The weekly digest, driven by a fake clock: Monday 09:00 in the team's time zone (America/New_York).</summary>
public sealed class WeeklyDigestTests : IAsyncLifetime
{
    private readonly BotHost bot = new();   // the clock starts on Sunday 2026-11-22, 15:00 UTC (10:00 in New York)
    private FakeConnector connector = null!;

    public async Task InitializeAsync() => connector = await FakeConnector.StartAsync();

    public async Task DisposeAsync()
    {
        bot.Dispose();
        await connector.DisposeAsync();
    }

    private IEnumerable<System.Text.Json.JsonElement> DigestsToMegan() =>
        connector.Posted.Where(p => p.GetRawText().Contains("weekly digest"));

    [Fact]
    public async Task The_next_digest_is_monday_nine_in_the_team_time_zone()
    {
        var digest = bot.Services.GetRequiredService<WeeklyDigest>();
        var team = bot.Services.GetRequiredService<EmpowerBot.Conversation.Roster>().Teams[0];

        var next = digest.Next(team, bot.Clock.GetUtcNow());

        Assert.Equal(new DateTimeOffset(2026, 11, 23, 14, 0, 0, TimeSpan.Zero), next); // 09:00 EST
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 14, 0, 0, TimeSpan.Zero), digest.Next(team, next));
    }

    [Fact]
    public void A_digest_time_inside_the_spring_forward_gap_lands_once_that_week_and_once_a_week_across_both_dst_changes()
    {
        // 02:30 on a Sunday does not exist in New York on 2027-03-14 (02:00 jumps to 03:00) and 01:30 happens twice on 2027-11-07.
        using var sundays = new BotHost(new() { ["Insights:DigestDay"] = "Sunday", ["Insights:DigestTime"] = "02:30" });
        var digest = sundays.Services.GetRequiredService<WeeklyDigest>();
        var team = sundays.Services.GetRequiredService<EmpowerBot.Conversation.Roster>().Teams[0];

        var runs = new List<DateTimeOffset>();
        var at = new DateTimeOffset(2027, 3, 1, 0, 0, 0, TimeSpan.Zero);
        while (at < new DateTimeOffset(2027, 11, 30, 0, 0, 0, TimeSpan.Zero)) runs.Add(at = digest.Next(team, at));

        Assert.Contains(new DateTimeOffset(2027, 3, 14, 7, 0, 0, TimeSpan.Zero), runs); // 03:00 EDT, the first minute after the gap
        Assert.All(runs, run => Assert.Equal(DayOfWeek.Sunday, TimeZoneInfo.ConvertTime(run, team.TimeZone).DayOfWeek));
        Assert.All(runs.Zip(runs.Skip(1)), pair => Assert.InRange(pair.Second - pair.First, TimeSpan.FromDays(7) - TimeSpan.FromHours(1), TimeSpan.FromDays(7) + TimeSpan.FromHours(1)));
    }

    [Fact]
    public void A_digest_time_that_happens_twice_when_the_clocks_go_back_is_sent_once()
    {
        using var sundays = new BotHost(new() { ["Insights:DigestDay"] = "Sunday", ["Insights:DigestTime"] = "01:30" });
        var digest = sundays.Services.GetRequiredService<WeeklyDigest>();
        var team = sundays.Services.GetRequiredService<EmpowerBot.Conversation.Roster>().Teams[0];

        var first = digest.Next(team, new DateTimeOffset(2027, 11, 6, 12, 0, 0, TimeSpan.Zero));

        Assert.Equal(new DateTimeOffset(2027, 11, 7, 5, 30, 0, TimeSpan.Zero), first); // 01:30 EDT, the first of the two
        Assert.Equal(new DateTimeOffset(2027, 11, 14, 6, 30, 0, TimeSpan.Zero), digest.Next(team, first));
    }

    [Fact]
    public async Task Managers_receive_the_digest_unprompted_every_monday()
    {
        await bot.PostAsync(Activities.Message("hello", connector.ServiceUrl, user: "user-id-1", name: "Megan Bowen", aad: Activities.MeganAad));
        await bot.ExchangeAsync(Activities.Message("kudos a customer wrote 'you saved my wedding'"));
        connector.Clear();

        bot.Clock.Advance(TimeSpan.FromHours(23));   // Monday 09:00 in New York
        await Eventually.UntilAsync(() => DigestsToMegan().Any(), "the digest to reach Megan");

        var first = Assert.Single(DigestsToMegan()).GetRawText();
        Assert.Contains("Frontline resolution rate", first);
        Assert.Contains("you saved my wedding", first);

        bot.Clock.Advance(TimeSpan.FromDays(7));
        await Eventually.UntilAsync(() => DigestsToMegan().Count() >= 2, "the second digest");
        Assert.Equal(2, DigestsToMegan().Count());
    }

    [Fact]
    public async Task Only_managers_get_the_digest()
    {
        await bot.PostAsync(Activities.Message("hello", connector.ServiceUrl));
        await bot.PostAsync(Activities.Message("hello", connector.ServiceUrl, user: "user-id-1", name: "Megan Bowen", aad: Activities.MeganAad));
        connector.Clear();

        bot.Clock.Advance(TimeSpan.FromDays(1));
        await Eventually.UntilAsync(() => DigestsToMegan().Any(), "the digest to reach Megan");

        var calls = connector.Calls.Where(c => c.Body.GetRawText().Contains("weekly digest")).ToList();
        Assert.Single(calls);
        Assert.Contains("-0021/activities", calls[0].Path);
    }
}
