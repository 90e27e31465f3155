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
    public async Task Managers_receive_the_digest_unprompted_every_monday()
    {
        await bot.PostAsync(Activities.Message("hello", connector.ServiceUrl, user: "user-id-1", name: "Megan Bowen", aad: Activities.MeganAad));
        await bot.ExchangeAsync(Activities.Message("kudos a customer wrote 'you saved my wedding'"));
        connector.Clear();

        bot.Clock.Advance(TimeSpan.FromHours(23));   // Monday 09:00 in New York
        for (var i = 0; i < 400 && !DigestsToMegan().Any(); i++) await Task.Delay(25);

        var first = Assert.Single(DigestsToMegan()).GetRawText();
        Assert.Contains("Frontline resolution rate", first);
        Assert.Contains("you saved my wedding", first);

        bot.Clock.Advance(TimeSpan.FromDays(7));
        for (var i = 0; i < 400 && DigestsToMegan().Count() < 2; i++) await Task.Delay(25);
        Assert.Equal(2, DigestsToMegan().Count());
    }

    [Fact]
    public async Task Only_managers_get_the_digest()
    {
        await bot.PostAsync(Activities.Message("hello", connector.ServiceUrl));
        await bot.PostAsync(Activities.Message("hello", connector.ServiceUrl, user: "user-id-1", name: "Megan Bowen", aad: Activities.MeganAad));
        connector.Clear();

        bot.Clock.Advance(TimeSpan.FromDays(1));
        for (var i = 0; i < 400 && !DigestsToMegan().Any(); i++) await Task.Delay(25);

        var calls = connector.Calls.Where(c => c.Body.GetRawText().Contains("weekly digest")).ToList();
        Assert.Single(calls);
        Assert.Contains("-0021/activities", calls[0].Path);
    }
}
