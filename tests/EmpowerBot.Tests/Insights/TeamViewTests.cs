using EmpowerBot.Tests.Fixtures;

namespace EmpowerBot.Tests.Insights;

/// <summary>The manager's team view and kudos, end to end.</summary>
public sealed class TeamViewTests : IDisposable
{
    private readonly BotHost bot = new();

    public void Dispose() => bot.Dispose();

    private async Task<string> AlexAsync(string text) => (await bot.ExchangeAsync(Activities.Message(text))).Everything();

    private async Task<string> MeganAsync(string text) =>
        (await bot.ExchangeAsync(Activities.Message(text, user: "user-id-1", name: "Megan Bowen", aad: Activities.MeganAad))).Everything();

    [Fact]
    public async Task The_team_view_shows_the_frontline_resolution_rate_first()
    {
        await AlexAsync("credit $25 to ACME-1 for late delivery");
        await AlexAsync("credit $30 to ACME-2 for damaged item");
        await AlexAsync("credit $150 to ACME-3 for late delivery");   // exception
        await AlexAsync("credit $600 to ACME-4 for late delivery");   // refused

        var view = await MeganAsync("team");

        Assert.Contains("Frontline resolution rate", view);
        Assert.Contains("50 %", view);
        Assert.Contains("2 of 4 credit requests solved by reps on their own (1 escalated, 1 refused by a rule)", view);
        Assert.Contains("1 exception", view);
    }

    [Fact]
    public async Task An_empty_month_says_so_instead_of_showing_zero()
    {
        var view = await MeganAsync("team");

        Assert.Contains("No credit requests yet this month.", view);
        Assert.Contains("—", view);
    }

    [Fact]
    public async Task Reps_cannot_see_the_team_view()
    {
        var reply = await AlexAsync("team");

        Assert.Contains("The team view is for managers", reply);
        Assert.DoesNotContain("Frontline resolution rate", reply);
    }

    [Fact]
    public async Task Kudos_show_in_the_team_view_and_reach_the_named_colleague()
    {
        var connector = await FakeConnector.StartAsync();
        try
        {
            await bot.PostAsync(Activities.Message("hello", connector.ServiceUrl, user: "user-id-1", name: "Megan Bowen", aad: Activities.MeganAad));
            connector.Clear();

            var reply = (await bot.ExchangeAsync(Activities.Message("kudos to Megan for taking the angry call at 5pm", connector.ServiceUrl))).Everything();

            Assert.Contains("Megan Bowen will hear it", reply);
            var told = await connector.WaitForPostedAsync(1);
            Assert.Contains("Alex Wilber sent you kudos", told[0].GetProperty("text").GetString());
            var view = await MeganAsync("team");
            Assert.Contains("Good news", view);
            Assert.Contains("For taking the angry call at 5pm", view);
            Assert.Contains("to Megan Bowen, from Alex Wilber", view);
            Assert.DoesNotContain("to Megan for", view);
        }
        finally
        {
            await connector.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_redelivered_kudos_is_recorded_once()
    {
        await bot.ExchangeAsync(Activities.Message("kudos a customer wrote 'best service ever'", id: "k1"));
        // The channel redelivers a while later: the copy is read at another instant.
        bot.Clock.Advance(TimeSpan.FromSeconds(20));
        await bot.ExchangeAsync(Activities.Message("kudos a customer wrote 'best service ever'", id: "k1"));

        var view = await MeganAsync("team");

        Assert.Single(System.Text.RegularExpressions.Regex.Matches(view, "best service ever"));
    }

    [Theory]
    [InlineData("kudos", "Tell me the good news")]
    public async Task Empty_or_huge_kudos_are_refused(string text, string expected)
    {
        Assert.Contains(expected, await AlexAsync(text));
        Assert.Contains("too long", await AlexAsync("kudos " + new string('x', 600)));
    }

    [Fact]
    public async Task The_team_view_names_no_rep_and_ranks_nobody()
    {
        await AlexAsync("credit $25 to ACME-1 for late delivery");
        await AlexAsync("credit $190 to ACME-2 for late delivery");

        var view = await MeganAsync("team");

        // Individual figures would show a name next to a number; the view has counts per bucket only.
        Assert.DoesNotContain("Alex", view);
        Assert.DoesNotContain("aad:", view);
        Assert.DoesNotContain("$25.00", view);
    }
}
