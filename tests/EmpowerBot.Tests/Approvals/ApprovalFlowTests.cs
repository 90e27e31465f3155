using System.Net;
using System.Text.Json;
using EmpowerBot.Approvals;
using EmpowerBot.Outbox;
using EmpowerBot.Storage;
using EmpowerBot.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace EmpowerBot.Tests.Approvals;

/// <summary>Exceptions end to end: the rep asks, Megan (the demo team's manager) decides on the card, everyone hears.</summary>
public sealed class ApprovalFlowTests : AlexAndMeganTests
{
    private Dictionary<string, object?> AsAlex(string text) => Activities.Message(text, connector.ServiceUrl);

    private Dictionary<string, object?> AsMegan(string text) =>
        Activities.Message(text, connector.ServiceUrl, user: "user-id-1", name: "Megan Bowen", aad: Activities.MeganAad);

    /// <summary>Alex asks for an exception; returns the approval id from the card Megan received.</summary>
    private async Task<string> RequestExceptionAsync(string text = "credit $150 to ACME-1042 for late delivery")
    {
        await bot.PostAsync(AsMegan("hello"));  // Megan has chatted with the bot before
        connector.Clear();
        var reply = (await bot.ExchangeAsync(AsAlex(text))).Everything();
        Assert.Contains("This needs Megan's approval (over the single-credit limit)", reply);
        var card = await CardToMeganAsync();
        return card.GetProperty("actions")[0].GetProperty("data").GetProperty("approvalId").GetString()!;
    }

    private async Task<JsonElement> CardToMeganAsync()
    {
        ConnectorCall? posted = null;
        await Eventually.UntilAsync(() => (posted = connector.Calls.FirstOrDefault(c => c.Method == "POST" && c.Path.Contains("-0021/activities")
            && c.Body.TryGetProperty("attachments", out _))) is not null, "an approval card to reach Megan");
        return posted!.Body.GetProperty("attachments")[0].GetProperty("content");
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> ClickAsync(string verb, object data, string user = "user-id-1", string name = "Megan Bowen", string aad = Activities.MeganAad)
    {
        using var response = await bot.PostAsync(Activities.Invoke(verb, data, connector.ServiceUrl, user, name, aad));
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private async Task<TableEntity> CreditRowAsync() =>
        (await bot.RowsAsync(Tables.Budgets, $"{Activities.Tenant}|aad:{Activities.AlexAad}|2026-11")).Single(r => r.RowKey.StartsWith("credit|"));

    [Fact]
    public async Task A_settle_step_for_a_request_not_yet_decided_has_nothing_to_do_and_waits_for_nothing()
    {
        var id = await RequestExceptionAsync();

        // Only the click that decides queues the settlement; a safety net that runs first finds the request pending.
        var outcome = await bot.Services.GetRequiredService<ApprovalSchedule>().SettleAsync(new ApprovalRef(Activities.Tenant, id), default);

        Assert.IsType<DeliveryOutcome.Dropped>(outcome);
        Assert.Equal("PendingApproval", (await CreditRowAsync()).GetString("status"));
    }

    [Fact]
    public async Task A_settle_step_run_again_after_the_settlement_tells_nobody_twice()
    {
        var id = await RequestExceptionAsync();
        await ClickAsync("approval.approve", new { approvalId = id });
        await ApprovalTestKit.QuietAsync(bot, () => ApprovalTestKit.OutcomesToAlex(connector, "ACME-1042").Count > 0, "Alex to be told");

        var again = await bot.Services.GetRequiredService<ApprovalSchedule>().SettleAsync(new ApprovalRef(Activities.Tenant, id), default);
        await ApprovalTestKit.QuietAsync(bot, () => true, "the outbox to settle");

        Assert.IsType<DeliveryOutcome.Dropped>(again);
        Assert.Single(ApprovalTestKit.OutcomesToAlex(connector, "ACME-1042"));
        Assert.Equal(1, ApprovalTestKit.UpdatesOf(connector, ApprovalTestKit.MeganChat, "ACME-1042"));
    }

    [Fact]
    public async Task A_request_stored_with_its_card_copies_on_its_row_still_updates_them_when_decided()
    {
        var id = await RequestExceptionAsync();
        await ApprovalTestKit.QuietAsync(bot, () => true, "the card to be sent");
        // Rewrite the request in the shape earlier versions stored: copies on the request row, no settlement flag.
        var rows = await bot.RowsAsync(Tables.Approvals, Activities.Tenant);
        var copy = Assert.Single(rows, r => r.RowKey.StartsWith(id + "|copy|"));
        var request = rows.Single(r => r.RowKey == id);
        var legacy = new Dictionary<string, object?>(request.Properties.Where(p => p.Key != "settled"))
        {
            ["cards"] = JsonSerializer.Serialize(new[]
            {
                new CardCopy(copy.GetString("personKey")!, copy.GetString("channelId")!, copy.GetString("serviceUrl")!, copy.GetString("conversationId")!,
                    copy.GetString("conversationType"), copy.GetString("tenantId"), copy.GetString("userId")!, copy.GetString("botId")!, copy.GetString("activityId")!),
            }),
        };
        await bot.Store.SubmitAsync(Tables.Approvals,
            [TableOperation.Delete(Activities.Tenant, copy.RowKey, copy.ETag!), TableOperation.Replace(request with { Properties = legacy }, request.ETag!)], default);

        await ClickAsync("approval.approve", new { approvalId = id });

        await ApprovalTestKit.QuietAsync(bot, () => ApprovalTestKit.UpdatesOf(connector, ApprovalTestKit.MeganChat, "ACME-1042") > 0, "the copy to be updated");
        Assert.Contains("approved your $150.00 credit", await ApprovalTestKit.WaitForTextToAlexAsync(connector, "approved"));
        Assert.Equal(1, ApprovalTestKit.UpdatesOf(connector, ApprovalTestKit.MeganChat, "ACME-1042"));
    }

    [Fact]
    public async Task A_repeat_customer_card_counts_only_the_credits_still_standing_and_shows_an_undone_one_as_undone()
    {
        await bot.PostAsync(AsMegan("hello"));
        var receipt = (await bot.ExchangeAsync(AsAlex("credit $10 to ACME-3300 for late delivery"))).Everything();
        await bot.ExchangeAsync(AsAlex("undo C-" + receipt.Split("Ref C-")[1][..4]));
        foreach (var i in new[] { 1, 2 })
            Assert.Contains("Applied $10.00", (await bot.ExchangeAsync(AsAlex("credit $10 to ACME-3300 for late delivery"))).Everything());
        connector.Clear();

        Assert.Contains("This needs Megan's approval", (await bot.ExchangeAsync(AsAlex("credit $10 to ACME-3300 for late delivery"))).Everything());

        var card = (await CardToMeganAsync()).GetRawText();
        Assert.Contains("ACME-3300 had 2 credits in 30 days", card);
        Assert.Contains("· Undone", card);
        Assert.DoesNotContain("Reserved", card);
    }

    [Fact]
    public async Task The_manager_gets_a_card_with_the_request_the_rule_and_the_rep_s_budget()
    {
        await RequestExceptionAsync();

        var card = (await CardToMeganAsync()).GetRawText();
        Assert.Contains("Alex Wilber", card);
        Assert.Contains("$150.00", card);
        Assert.Contains("ACME-1042", card);
        Assert.Contains("over the $100.00 single-credit limit", card);
        Assert.Contains("$200.00", card);
        Assert.Contains("approval.approve", card);
        Assert.Contains("approval.decline", card);
    }

    [Fact]
    public async Task Approving_credits_the_customer_as_an_exception_tells_the_rep_and_updates_the_card()
    {
        var id = await RequestExceptionAsync();

        var (status, body) = await ClickAsync("approval.approve", new { approvalId = id });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/vnd.microsoft.card.adaptive", body.GetProperty("type").GetString());
        var card = body.GetProperty("value").GetRawText();
        Assert.Contains("Approved by Megan Bowen at", card);
        Assert.Contains("$150.00 credited to ACME-1042", card);
        Assert.DoesNotContain("approval.approve", card);
        Assert.Contains("approved your $150.00 credit", await ApprovalTestKit.WaitForTextToAlexAsync(connector, "approved"));
        var credit = await CreditRowAsync();
        Assert.Equal("Applied", credit.GetString("status"));
        Assert.True(credit.GetBool("exception"));
        var balance = (await bot.RowsAsync(Tables.Budgets, $"{Activities.Tenant}|aad:{Activities.AlexAad}|2026-11")).Single(r => r.RowKey == "balance");
        Assert.Equal(150_00, balance.GetInt64("exceptions"));
        Assert.Equal(0, balance.GetInt64("spent"));
        await ApprovalTestKit.QuietAsync(bot, () => connector.Calls.Any(c => c.Method == "PUT" && c.Body.GetRawText().Contains("Approved by Megan Bowen")), "the card to show the decision");
        Assert.Contains("Approved exception", (await bot.ExchangeAsync(AsAlex("history"))).Everything());
    }

    [Fact]
    public async Task Declining_with_a_comment_tells_the_rep_the_comment_and_credits_nothing()
    {
        var id = await RequestExceptionAsync();

        var (status, body) = await ClickAsync("approval.decline", new { approvalId = id, comment = "Offer a replacement instead" });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Declined by Megan Bowen", body.GetRawText());
        Assert.Contains("Offer a replacement instead", await ApprovalTestKit.WaitForTextToAlexAsync(connector, "declined"));
        Assert.Equal("Declined", (await CreditRowAsync()).GetString("status"));
    }

    [Fact]
    public async Task A_reminder_goes_out_at_half_time_and_the_request_expires_after_a_day()
    {
        await RequestExceptionAsync();

        bot.Clock.Advance(TimeSpan.FromHours(12));
        await Eventually.UntilAsync(() => connector.Posted.Any(p => p.GetRawText().Contains("Reminder")), "the reminder");
        Assert.Contains(connector.Posted, p => p.GetRawText().Contains("Reminder: Alex Wilber's $150.00 credit"));

        bot.Clock.Advance(TimeSpan.FromHours(12));
        Assert.Contains("expired before a manager decided", await ApprovalTestKit.WaitForTextToAlexAsync(connector, "expired"));
        Assert.Equal("Expired", (await CreditRowAsync()).GetString("status"));
        // The card's update is its own message: it may land just after the rep's news.
        await ApprovalTestKit.QuietAsync(bot, () => connector.Calls.Any(c => c.Method == "PUT" && c.Body.GetRawText().Contains("Expired")), "the card to show the expiry");
    }

    [Fact]
    public async Task The_approval_card_and_the_reminder_reach_the_manager_in_the_zone_her_client_last_reported()
    {
        var hello = AsMegan("hello");
        hello["entities"] = new object[] { new { type = "clientInfo", locale = "ja-JP", timezone = "Asia/Tokyo" } };
        await bot.PostAsync(hello);

        await RequestExceptionAsync();
        var card = (await CardToMeganAsync()).GetRawText();
        bot.Clock.Advance(TimeSpan.FromHours(12));
        await Eventually.UntilAsync(() => connector.Posted.Any(p => p.GetRawText().Contains("Reminder")), "the reminder to Megan");

        // Asked at 3:00 PM UTC on Sunday Nov 22, expiring a day later: Tuesday midnight in Tokyo.
        Assert.Contains("Expires Tue 12:00 AM Asia/Tokyo", card);
        Assert.Contains(connector.Posted, p => p.GetRawText().Contains("It expires Tue 12:00 AM Asia/Tokyo."));
    }

    [Fact]
    public async Task A_restart_between_request_and_decision_loses_nothing()
    {
        var id = await RequestExceptionAsync();
        bot.Dispose();
        bot = NewHost();

        var (status, body) = await ClickAsync("approval.approve", new { approvalId = id });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Approved by Megan Bowen", body.GetRawText());
        await ApprovalTestKit.WaitForTextToAlexAsync(connector, "approved");
        Assert.Equal("Applied", (await CreditRowAsync()).GetString("status"));
    }

    [Fact]
    public async Task Managers_see_pending_requests_and_reps_see_their_own()
    {
        await RequestExceptionAsync();

        Assert.Contains("approval.approve", (await bot.ExchangeAsync(AsMegan("approvals"))).Everything());
        Assert.Contains("waiting for Megan Bowen", (await bot.ExchangeAsync(AsAlex("status"))).Everything());
    }
}
