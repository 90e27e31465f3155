using System.Net;
using System.Text.Json;
using EmpowerBot.Tests.Fixtures;
using static EmpowerBot.Tests.Approvals.ApprovalTestKit;

namespace EmpowerBot.Tests.Approvals;

/// <summary>Only a designated approver decides, once: second and concurrent clicks, the rep, strangers, forged data, other tenants.</summary>
public sealed class ApprovalClickGuardTests : AlexAndMeganTests
{
    [Fact]
    public async Task A_second_click_shows_the_decision_and_changes_nothing()
    {
        var id = await RequestExceptionAsync(bot, connector);
        await ClickAsync(bot, connector, "approval.approve", new { approvalId = id });

        var (status, body) = await ClickAsync(bot, connector, "approval.decline", new { approvalId = id, comment = "changed my mind" });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body.GetRawText().Contains("Approved by Megan Bowen"), body.GetRawText());
        Assert.DoesNotContain("changed my mind", body.GetRawText());
        await WaitForTextToAlexAsync(connector, "approved");
        Assert.Equal("Applied", await CreditStatusAsync(bot));
    }

    [Fact]
    public async Task Concurrent_clicks_decide_once()
    {
        var id = await RequestExceptionAsync(bot, connector);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            ClickAsync(bot, connector, i % 2 == 0 ? "approval.approve" : "approval.decline", new { approvalId = id, comment = "Offer a replacement" })));

        var outcomes = results.Select(r => r.Body.GetRawText().Contains("Approved by") ? "approved" : "declined").Distinct().ToList();
        Assert.Single(outcomes);
    }

    [Fact]
    public async Task The_requesting_rep_cannot_approve_their_own_request()
    {
        var id = await RequestExceptionAsync(bot, connector);

        var (status, body) = await ClickAsAsync(bot, connector, "approval.approve", new { approvalId = id }, "user-id-0", "Alex Wilber", Activities.AlexAad);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("can't decide your own request", body.GetRawText());
        Assert.Equal("PendingApproval", await CreditStatusAsync(bot));
    }

    [Fact]
    public async Task Someone_who_is_not_an_approver_is_refused()
    {
        var id = await RequestExceptionAsync(bot, connector);

        var (status, _) = await ClickAsAsync(bot, connector, "approval.approve", new { approvalId = id }, "user-id-9", "Mallory", "00000000-0000-0000-0000-0000000000099");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("PendingApproval", await CreditStatusAsync(bot));
    }

    [Theory]
    [InlineData("{\"approvalId\":\"0000000000000000000000000000dead\"}", HttpStatusCode.NotFound)]
    [InlineData("{\"approvalId\":\"../../etc\"}", HttpStatusCode.BadRequest)]
    [InlineData("{\"nothing\":true}", HttpStatusCode.BadRequest)]
    [InlineData("[1,2,3]", HttpStatusCode.BadRequest)]
    public async Task Forged_or_garbled_actions_are_refused_with_an_error_card(string data, HttpStatusCode expected)
    {
        await RequestExceptionAsync(bot, connector);

        var (status, body) = await ClickAsync(bot, connector, "approval.approve", JsonDocument.Parse(data).RootElement);

        Assert.Equal(expected, status);
        Assert.Equal("application/vnd.microsoft.error", body.GetProperty("type").GetString());
        Assert.Equal("PendingApproval", await CreditStatusAsync(bot));
    }

    [Fact]
    public async Task A_request_of_another_tenant_does_not_exist_from_here()
    {
        var id = await RequestExceptionAsync(bot, connector);
        var activity = Activities.Invoke("approval.approve", new { approvalId = id }, connector.ServiceUrl, "user-id-1", "Megan Bowen", Activities.MeganAad);
        activity["channelData"] = new { tenant = new { id = "another-tenant" } };

        using var response = await bot.PostAsync(activity);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("PendingApproval", await CreditStatusAsync(bot));
    }

    [Fact]
    public async Task A_100_KB_comment_is_refused_and_nothing_is_decided()
    {
        var id = await RequestExceptionAsync(bot, connector);

        var (status, body) = await ClickAsync(bot, connector, "approval.decline", new { approvalId = id, comment = new string('x', 100 * 1024) });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("too long", body.GetRawText());
        Assert.Equal("PendingApproval", await CreditStatusAsync(bot));
    }
}
