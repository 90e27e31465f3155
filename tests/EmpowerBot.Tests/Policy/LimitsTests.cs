using System.Text.Json;
using EmpowerBot.Tests.Fixtures;

namespace EmpowerBot.Tests.Policy;

/// <summary>"limits": a rep reads their team's own policy in plain words, with the figures configured for that team.</summary>
public sealed class LimitsTests : IDisposable
{
    private const string Team = "Organization:Teams:0:";

    private readonly BotHost bot = new(new()
    {
        [Team + "MonthlyBudget"] = "300",
        [Team + "Policy:Reasons:0:Name"] = "Late delivery",
        [Team + "Policy:Reasons:0:Aliases:0"] = "late",
        [Team + "Policy:Reasons:1:Name"] = "Goodwill",
        [Team + "Policy:Reasons:1:Cap"] = "15",
        [Team + "Policy:ExceptionThreshold"] = "60",
        [Team + "Policy:HardMaximum"] = "250",
        [Team + "Policy:ForbiddenReasons:0:Name"] = "store credit",
        [Team + "Policy:RepeatCustomer:MaxCredits"] = "3",
        [Team + "Policy:RepeatCustomer:WithinDays"] = "7",
        [Team + "Policy:UndoWindow"] = "00:05:00",
    });

    public void Dispose() => bot.Dispose();

    private async Task<JsonElement> LimitsAsync(string text) => Assert.Single(await bot.ExchangeAsync(Activities.Message(text)));

    [Fact]
    public async Task Limits_shows_the_team_s_own_policy_and_what_is_left()
    {
        await bot.ExchangeAsync(Activities.Message("credit $20 to ACME-4 for late delivery"));

        var card = (await LimitsAsync("limits")).Card()!.Value.GetRawText();

        Assert.Contains("up to $60.00 within your budget is applied at once; more needs Megan", card);
        Assert.Contains("above $250.00 is never allowed", card);
        Assert.Contains("Goodwill up to $15.00", card);
        Assert.Contains("store credit", card);
        Assert.Contains("After 3 credits to one customer within 7 days", card);
        Assert.Contains("undo a credit for 5 minutes", card);
        Assert.Contains("You have $280.00 left of $300.00 for November 2026.", card);
        Assert.Contains("Reasons: Late delivery, Goodwill.", card);
        Assert.DoesNotContain("$100.00", card);
    }

    [Fact]
    public async Task Every_line_of_the_limits_card_has_words_in_it()
    {
        var card = (await LimitsAsync("limits")).Card()!.Value;

        var texts = Texts(card).ToList();
        Assert.True(texts.Count >= 10, $"only {texts.Count} texts");
        Assert.All(texts, t => Assert.False(string.IsNullOrWhiteSpace(t)));
    }

    [Theory]
    [InlineData("rules")]
    [InlineData("my limits")]
    [InlineData("what can I give without asking?")]
    [InlineData("what's the most I can credit?")]
    [InlineData("limts")]
    public async Task The_ways_reps_ask_for_the_rules_all_show_them(string text)
    {
        Assert.Contains("Your credit limits", (await LimitsAsync(text)).Everything());
    }

    private static IEnumerable<string> Texts(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in element.EnumerateObject())
            {
                if (p.Name == "text" && p.Value.ValueKind == JsonValueKind.String) yield return p.Value.GetString()!;
                else foreach (var t in Texts(p.Value)) yield return t;
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray()) foreach (var t in Texts(item)) yield return t;
        }
    }
}
