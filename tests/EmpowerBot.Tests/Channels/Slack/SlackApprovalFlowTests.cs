using System.Net;
using System.Text.Json;
using EmpowerBot.Storage;
using EmpowerBot.Tests.Fixtures;
using static EmpowerBot.Tests.Channels.Slack.SlackTestKit;

namespace EmpowerBot.Tests.Channels.Slack;

/// <summary>An exception in Slack: Alex asks, Megan (who never wrote to the bot) gets Approve/Decline, decides, Alex hears.</summary>
public sealed class SlackApprovalFlowTests : SlackBotTests
{
    /// <summary>Alex asks for $150; returns the approval card as posted to Megan.</summary>
    private async Task<SlackCall> RequestExceptionAsync()
    {
        using (await EventAsync(bot, DirectMessage(Alex, "credit $150 to ACME-1042 for late delivery"))) { }
        var toAlex = await slack.WaitForAsync("chat.postMessage", c => c.Str("channel") == Dm(Alex));
        Assert.Contains("This needs Megan's approval", toAlex.Str("text"));
        return await slack.WaitForAsync("chat.postMessage", c => c.Str("channel") == Dm(Megan));
    }

    private static JsonElement Button(SlackCall card, string actionId) =>
        card.Body.GetProperty("blocks").EnumerateArray()
            .Where(b => b.GetProperty("type").GetString() == "actions")
            .SelectMany(b => b.GetProperty("elements").EnumerateArray())
            .Single(e => e.GetProperty("action_id").GetString() == actionId);

    private static string Ts(SlackCall posted) => posted.Answer.GetProperty("ts").GetString()!;

    [Fact]
    public void A_slack_channel_as_a_team_s_approvals_channel_stops_start_up_saying_why()
    {
        var error = BotHost.StartFailure(Settings(slack, new() { ["Organization:Teams:0:ApprovalsChannel"] = "C0APPROVALS" }));

        var refusal = Assert.IsType<Microsoft.Extensions.Options.OptionsValidationException>(error);
        Assert.Contains("Organization:Teams:0:ApprovalsChannel 'C0APPROVALS' is not a Teams channel id", refusal.Message);
        Assert.Contains("direct messages", refusal.Message);
    }

    private async Task<TableEntity> CreditRowAsync() =>
        (await bot.RowsAsync(Tables.Budgets, $"{Team}|{Key(Alex)}|2026-11")).Single(r => r.RowKey.StartsWith("credit|"));

    [Fact]
    public async Task Megan_s_blocks_for_a_repeat_customer_count_the_credits_still_standing_and_show_an_undone_one_as_undone()
    {
        async Task SayAsync(string text)
        {
            var before = slack.Calls.Count(c => c.Method == "chat.postMessage" && c.Str("channel") == Dm(Alex));
            using (await EventAsync(bot, DirectMessage(Alex, text))) { }
            await Eventually.UntilAsync(() => slack.Calls.Count(c => c.Method == "chat.postMessage" && c.Str("channel") == Dm(Alex)) > before, $"an answer to '{text}'");
        }
        await SayAsync("credit $10 to ACME-3300 for late delivery");
        var first = (await bot.RowsAsync(Tables.Budgets, $"{Team}|{Key(Alex)}|2026-11")).Single(r => r.RowKey.StartsWith("credit|"));
        await SayAsync("undo " + first.RowKey["credit|".Length..]);
        await SayAsync("credit $10 to ACME-3300 for late delivery");
        await SayAsync("credit $10 to ACME-3300 for late delivery");
        using (await EventAsync(bot, DirectMessage(Alex, "credit $10 to ACME-3300 for late delivery"))) { }

        var card = (await slack.WaitForAsync("chat.postMessage", c => c.Str("channel") == Dm(Megan))).Body.GetProperty("blocks").GetRawText();
        Assert.Contains("ACME-3300 had 2 credits in 30 days", card);
        Assert.Contains("· Undone ·", card);
        Assert.Equal(2, card.Split("· Applied ·").Length - 1);
    }

    [Fact]
    public async Task A_manager_Slack_will_not_open_a_direct_message_with_closes_the_request_and_the_rep_is_told_so()
    {
        slack.RefuseNext("conversations.open", "user_disabled");

        using (await EventAsync(bot, DirectMessage(Alex, "credit $150 to ACME-1042 for late delivery"))) { }

        var told = await slack.WaitForAsync("chat.postMessage", c => c.Str("channel") == Dm(Alex) && (c.Str("text") ?? "").Contains("could not reach anyone"));
        Assert.Contains("Nothing was credited", told.Str("text"));
        Assert.Equal("Expired", (await CreditRowAsync()).GetString("status"));
        Assert.DoesNotContain(slack.Calls, c => c.Method == "chat.postMessage" && c.Str("channel") == Dm(Megan));
    }

    [Fact]
    public async Task The_manager_who_never_wrote_gets_the_request_with_approve_and_decline_in_a_direct_conversation()
    {
        var card = await RequestExceptionAsync();

        Assert.Contains(slack.Calls, c => c.Method == "conversations.open" && c.Str("users") == Megan);
        Assert.Contains("Alex Wilber asks to credit $150.00 to ACME-1042", card.Str("text"));
        var blocks = card.Body.GetProperty("blocks").GetRawText();
        Assert.Contains("Credit exception for your approval", blocks);
        Assert.Contains("over the $100.00 single-credit limit", blocks);
        Assert.Contains("\"comment\"", blocks);
        Assert.Equal("primary", Button(card, "approval.approve").GetProperty("style").GetString());
        Assert.Equal("danger", Button(card, "approval.decline").GetProperty("style").GetString());
    }

    [Fact]
    public async Task Approving_updates_the_manager_s_message_for_everyone_credits_the_customer_and_tells_the_rep()
    {
        var card = await RequestExceptionAsync();
        var value = Button(card, "approval.approve").GetProperty("value").GetString()!;
        var comment = new { comment = new { comment = new { type = "plain_text_input", value = "Good call" } } };

        using var response = await InteractionAsync(bot, Click(Megan, "approval.approve", value, Dm(Megan), Ts(card), comment));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var update = await slack.WaitForAsync("chat.update", c => c.Str("channel") == Dm(Megan));
        Assert.Equal((Dm(Megan), Ts(card)), (update.Str("channel"), update.Str("ts")));
        Assert.Contains("Approved by Megan Bowen at", update.Everything);
        Assert.DoesNotContain("approval.approve", update.Everything);
        var told = await slack.WaitForAsync("chat.postMessage", c => c.Str("channel") == Dm(Alex) && (c.Str("text") ?? "").Contains("approved"));
        Assert.Contains("Megan Bowen approved your $150.00 credit", told.Str("text"));
        Assert.Contains("Good call", told.Str("text"));
        var credit = await CreditRowAsync();
        Assert.Equal("Applied", credit.GetString("status"));
        Assert.True(credit.GetBool("exception"));
    }

    [Fact]
    public async Task The_rep_s_own_message_of_the_request_shows_the_outcome_once_decided()
    {
        var card = await RequestExceptionAsync();
        var toAlex = slack.Calls.First(c => c.Method == "chat.postMessage" && c.Str("channel") == Dm(Alex));
        Assert.Contains("approval.withdraw", toAlex.Everything);

        using (await InteractionAsync(bot, Click(Megan, "approval.approve", Button(card, "approval.approve").GetProperty("value").GetString()!, Dm(Megan), Ts(card)))) { }

        var update = await slack.WaitForAsync("chat.update", c => c.Str("channel") == Dm(Alex));
        Assert.Equal(Ts(toAlex), update.Str("ts"));
        Assert.Contains("Approved by Megan Bowen", update.Everything);
        Assert.DoesNotContain("approval.withdraw", update.Everything);
    }

    [Fact]
    public async Task Declining_with_a_comment_tells_the_rep_and_credits_nothing()
    {
        var card = await RequestExceptionAsync();
        var comment = new { comment = new { comment = new { type = "plain_text_input", value = "Offer a replacement instead" } } };

        using (await InteractionAsync(bot, Click(Megan, "approval.decline", Button(card, "approval.decline").GetProperty("value").GetString()!, Dm(Megan), Ts(card), comment))) { }

        Assert.Contains("Declined by Megan Bowen", (await slack.WaitForAsync("chat.update", c => c.Str("channel") == Dm(Megan))).Everything);
        var told = await slack.WaitForAsync("chat.postMessage", c => c.Str("channel") == Dm(Alex) && (c.Str("text") ?? "").Contains("declined"));
        Assert.Contains("Offer a replacement instead", told.Str("text"));
        Assert.Equal("Declined", (await CreditRowAsync()).GetString("status"));
    }

    [Theory]
    [InlineData(Mallory, "Only the designated approvers")]
    [InlineData(Alex, "can't decide your own request")]
    public async Task Someone_other_than_the_approver_is_refused_privately_and_nothing_changes(string clicker, string refusal)
    {
        var card = await RequestExceptionAsync();

        using (await InteractionAsync(bot, Click(clicker, "approval.approve", Button(card, "approval.approve").GetProperty("value").GetString()!, Dm(Megan), Ts(card)))) { }

        var notice = await slack.WaitForAsync("chat.postEphemeral");
        Assert.Equal((Dm(Megan), clicker), (notice.Str("channel"), notice.Str("user")));
        Assert.Contains(refusal, notice.Str("text"));
        await bot.SettledAsync(slack);
        Assert.Empty(slack.CallsTo("chat.update"));
        Assert.Equal("PendingApproval", (await CreditRowAsync()).GetString("status"));
    }

    [Fact]
    public async Task A_forged_approval_id_is_refused_privately()
    {
        var card = await RequestExceptionAsync();

        using (await InteractionAsync(bot, Click(Megan, "approval.approve", """{"approvalId":"0000000000000000000000000000dead"}""", Dm(Megan), Ts(card)))) { }

        Assert.Contains("can't find this approval request", (await slack.WaitForAsync("chat.postEphemeral")).Str("text"));
        Assert.Equal("PendingApproval", (await CreditRowAsync()).GetString("status"));
    }

    [Fact]
    public async Task A_second_click_changes_nothing()
    {
        var card = await RequestExceptionAsync();
        var value = Button(card, "approval.approve").GetProperty("value").GetString()!;
        using (await InteractionAsync(bot, Click(Megan, "approval.approve", value, Dm(Megan), Ts(card)))) { }
        await slack.WaitForAsync("chat.postMessage", c => c.Str("channel") == Dm(Alex) && (c.Str("text") ?? "").Contains("approved"));

        using (await InteractionAsync(bot, Click(Megan, "approval.decline", value, Dm(Megan), Ts(card)))) { }
        await bot.SettledAsync(slack);

        Assert.All(slack.CallsTo("chat.update"), u => Assert.Contains("Approved by Megan Bowen", u.Everything));
        Assert.Equal("Applied", (await CreditRowAsync()).GetString("status"));
    }
}
