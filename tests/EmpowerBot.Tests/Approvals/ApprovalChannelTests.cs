using System.Net;
using System.Text.Json;
using EmpowerBot.Tests.Fixtures;

namespace EmpowerBot.Tests.Approvals;

/// <summary>A team that takes its approvals in a Teams channel: one card everyone sees, buttons for approvers only.</summary>
public sealed class ApprovalChannelTests : IAsyncLifetime
{
    private const string Channel = "19:approvals@thread.tacv2";
    private FakeConnector connector = null!;
    private BotHost bot = null!;

    public async Task InitializeAsync()
    {
        connector = await FakeConnector.StartAsync();
        bot = new BotHost(new() { ["Organization:Teams:0:ApprovalsChannel"] = Channel });
    }

    public async Task DisposeAsync()
    {
        bot.Dispose();
        await connector.DisposeAsync();
    }

    // The recorded path is the decoded one.
    private static bool InChannel(ConnectorCall c) => c.Path.Contains(Channel) || c.Path.Contains(Uri.EscapeDataString(Channel));

    private async Task<ConnectorCall> ChannelPostAsync()
    {
        ConnectorCall? call = null;
        await Eventually.UntilAsync(() => (call = connector.Calls.FirstOrDefault(c => c.Method == "POST" && InChannel(c))) is not null,
            "a card to be posted to the approvals channel");
        return call!;
    }

    [Fact]
    public async Task The_request_is_posted_once_to_the_channel_without_buttons_and_refreshes_with_buttons_for_the_approver()
    {
        await bot.PostAsync(Activities.Message("hello", connector.ServiceUrl, user: "user-id-1", name: "Megan Bowen", aad: Activities.MeganAad));
        await bot.ExchangeAsync(Activities.Message("credit $150 to ACME-1042 for late delivery", connector.ServiceUrl));

        var post = await ChannelPostAsync();
        var card = post.Body.GetProperty("attachments")[0].GetProperty("content");
        Assert.DoesNotContain("approval.approve", card.GetRawText());
        Assert.Contains("user-id-1", card.GetProperty("refresh").GetProperty("userIds").GetRawText());
        Assert.DoesNotContain(connector.Calls, c => c.Path.Contains("-0021/activities") && c.Body.GetRawText().Contains("Credit exception for your approval"));
        var id = card.GetProperty("refresh").GetProperty("action").GetProperty("data").GetProperty("approvalId").GetString()!;

        using var refresh = await bot.PostAsync(Activities.Invoke("approval.refresh", new { approvalId = id }, connector.ServiceUrl, "user-id-1", "Megan Bowen", Activities.MeganAad));
        Assert.Contains("approval.approve", await refresh.Content.ReadAsStringAsync());

        using var rep = await bot.PostAsync(Activities.Invoke("approval.refresh", new { approvalId = id }, connector.ServiceUrl));
        Assert.DoesNotContain("approval.approve", await rep.Content.ReadAsStringAsync());

        using var approve = await bot.PostAsync(Activities.Invoke("approval.approve", new { approvalId = id }, connector.ServiceUrl, "user-id-1", "Megan Bowen", Activities.MeganAad));
        Assert.Equal(HttpStatusCode.OK, approve.StatusCode);
        await Eventually.UntilAsync(() => connector.Calls.Any(c => c.Method == "PUT"), "the card's update");
        var update = Assert.Single(connector.Calls, c => c.Method == "PUT");
        Assert.True(InChannel(update), update.Path);
        Assert.Contains("Approved by Megan Bowen", update.Body.GetRawText());
    }
}
