using System.Text.Json;
using EmpowerBot.Tests.Fixtures;

namespace EmpowerBot.Tests.Approvals;

/// <summary>A manager lands on their work: the decisions waiting, and no discretionary budget unless the roster gives one.</summary>
public sealed class ManagerDeskTests : IDisposable
{
    private readonly BotHost bot;

    public ManagerDeskTests() => bot = new BotHost();

    public void Dispose() => bot.Dispose();

    private static Dictionary<string, object?> AsMegan(string text) =>
        Activities.Message(text, user: "user-id-1", name: "Megan Bowen", aad: Activities.MeganAad);

    private static IEnumerable<JsonElement> Actions(JsonElement reply) =>
        reply.Card() is { } card && card.TryGetProperty("actions", out var actions) ? actions.EnumerateArray() : [];

    private static string? Titled(JsonElement reply, string title) => Actions(reply)
        .Where(a => a.GetProperty("title").GetString() == title)
        .Select(a => a.GetProperty("data").GetProperty("command").GetString())
        .SingleOrDefault();

    [Fact]
    public async Task A_manager_s_welcome_speaks_of_the_reps_budget_and_offers_no_budget_of_her_own()
    {
        var welcome = Assert.Single(await bot.ExchangeAsync(Activities.Install(aad: Activities.MeganAad)));

        Assert.Contains("Your reps each have $200.00 a month", welcome.Everything());
        Assert.Contains("You have no budget of your own", welcome.Everything());
        Assert.Null(Titled(welcome, "Show my budget"));
        Assert.DoesNotContain("credit exception is waiting", welcome.Everything());
        Assert.DoesNotContain(Actions(welcome), a => a.GetProperty("title").GetString()!.StartsWith("Review", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rep_s_welcome_keeps_his_own_budget_and_its_button()
    {
        var welcome = Assert.Single(await bot.ExchangeAsync(Activities.Install()));

        Assert.Contains("You have $200.00 a month to solve customer problems on the spot", welcome.Everything());
        Assert.Equal("budget", Titled(welcome, "Show my budget"));
    }

    [Fact]
    public async Task With_decisions_waiting_the_manager_s_welcome_and_help_count_them_with_a_button_to_review()
    {
        Assert.Contains("Megan", (await bot.ExchangeAsync(Activities.Message("credit $150 to ACME-1042 for late delivery"))).Everything());
        Assert.Contains("Megan", (await bot.ExchangeAsync(Activities.Message("credit $120 to ACME-77 for a damaged item"))).Everything());

        var welcome = Assert.Single(await bot.ExchangeAsync(Activities.Install(aad: Activities.MeganAad)));
        var help = Assert.Single(await bot.ExchangeAsync(AsMegan("help")));

        foreach (var card in new[] { welcome, help })
        {
            Assert.Contains("2 credit exceptions are waiting for your decision.", card.Everything());
            Assert.Equal("approvals", Titled(card, "Review 2 decisions"));
        }
        var review = await bot.ExchangeAsync(AsMegan("approvals"));
        Assert.Contains("2 requests waiting for your decision", review.Everything());
    }

    [Fact]
    public async Task A_rep_s_help_has_no_review_button()
    {
        await bot.ExchangeAsync(Activities.Message("credit $150 to ACME-1042 for late delivery"));

        var help = Assert.Single(await bot.ExchangeAsync(Activities.Message("help")));

        Assert.DoesNotContain("waiting for your decision", help.Everything());
        Assert.DoesNotContain(Actions(help), a => a.GetProperty("title").GetString()!.StartsWith("Review", StringComparison.Ordinal));
        Assert.Equal("budget", Titled(help, "Show my budget"));
    }

    [Fact]
    public async Task A_manager_asking_for_her_budget_is_told_she_has_none_not_zero_left_with_no_approval_needed()
    {
        var replies = await bot.ExchangeAsync(AsMegan("budget"));

        Assert.Contains("You have no budget of your own", replies.Everything());
        Assert.DoesNotContain("no approval needed", replies.Everything());
        Assert.Contains("You have no budget of your own", (await bot.ExchangeAsync(AsMegan("limits"))).Everything());
    }

    [Fact]
    public async Task A_manager_the_roster_gives_a_budget_credits_from_it_like_a_rep()
    {
        using var funded = new BotHost(new() { ["Organization:Teams:0:Members:1:MonthlyBudget"] = "300" });

        Assert.Contains("Applied $50.00 to ACME-5", (await funded.ExchangeAsync(AsMegan("credit $50 to ACME-5 for late delivery"))).Everything());
        var budget = await funded.ExchangeAsync(AsMegan("budget"));
        Assert.Contains("$250.00", budget.Everything());
        var welcome = Assert.Single(await funded.ExchangeAsync(Activities.Install(aad: Activities.MeganAad)));
        Assert.Contains("You have $300.00 a month", welcome.Everything());
    }

    [Fact]
    public async Task A_rep_the_roster_gives_a_larger_budget_spends_it_and_the_team_s_other_reps_keep_theirs()
    {
        using var senior = new BotHost(new() { ["Organization:Teams:0:Members:0:MonthlyBudget"] = "400" });

        Assert.Contains("Applied $90.00 to ACME-5", (await senior.ExchangeAsync(Activities.Message("credit $90 to ACME-5 for late delivery"))).Everything());
        Assert.Contains("$310.00", (await senior.ExchangeAsync(Activities.Message("budget"))).Everything());
    }

    [Fact]
    public async Task A_manager_without_a_budget_or_another_approver_is_told_so_not_that_her_credit_went_to_someone()
    {
        var replies = await bot.ExchangeAsync(AsMegan("credit $10 to ACME-5 for late delivery"));

        Assert.Contains("no other approver to ask", replies.Everything());
        Assert.DoesNotContain("Applied", replies.Everything());
    }

    [Fact]
    public void A_negative_member_budget_is_refused_at_start_up_naming_the_key()
    {
        var error = BotHost.StartFailure(new() { ["Organization:Teams:0:Members:0:MonthlyBudget"] = "-5" });

        Assert.Contains("Organization:Teams:0:Members:0:MonthlyBudget", error.ToString());
    }
}
