using EmpowerBot.Approvals;
using EmpowerBot.Outbox;
using EmpowerBot.Storage;
using EmpowerBot.Tests.Budget;
using EmpowerBot.Tests.Fixtures;
using EmpowerBot.Tests.Outbox;
using Microsoft.Extensions.DependencyInjection;
using static EmpowerBot.Tests.Approvals.ApprovalTestKit;

namespace EmpowerBot.Tests.Approvals;

/// <summary>
/// An approver the bot can never reach (the app is not installed for her, so Teams refuses to open a chat): the rep
/// is told the truth and the request is closed, instead of waiting a day for a decision nobody was asked for.
/// </summary>
public sealed class UnreachableApproverTests : AlexAndMeganTests
{
    private List<string> TextsToAlex(string contains) => connector.Calls
        .Where(c => c.Method == "POST" && c.Path.Contains(AlexChat) && c.Body.TryGetProperty("text", out _))
        .Select(c => c.Body.GetProperty("text").GetString()!).Where(t => t.Contains(contains)).ToList();

    [Fact]
    public async Task When_no_approver_can_be_reached_the_rep_hears_it_once_and_the_request_is_closed_with_nothing_credited()
    {
        connector.NotInstalledFor[Activities.MeganAad] = true;
        await bot.ExchangeAsync(connector.AsAlex("hello"));

        await bot.ExchangeAsync(connector.AsAlex("credit $150 to ACME-1042 for late delivery"));

        await QuietAsync(bot, () => TextsToAlex("could not reach anyone who can approve it").Count > 0, "Alex to be told nobody could be reached");
        Assert.Single(TextsToAlex("could not reach anyone who can approve it"));
        Assert.Empty(OutcomesToAlex(connector, "ACME-1042"));
        var store = bot.Services.GetRequiredService<ApprovalStore>();
        var request = Assert.Single(await store.ListAsync(Activities.Tenant, _ => true, CancellationToken.None));
        Assert.Equal(ApprovalStatus.Expired, request.Status);
        Assert.True(request.Unreachable);
        Assert.Empty(await store.PendingForRequesterAsync(Activities.Tenant, "aad:" + Activities.AlexAad, CancellationToken.None));
        Assert.Contains("$200.00", (await bot.ExchangeAsync(connector.AsAlex("budget"))).Everything());
        Assert.Equal(1, await bot.DeadLetterCountAsync());
    }

    [Fact]
    public async Task The_rep_hears_it_even_when_the_outbox_polls_while_the_request_is_being_closed()
    {
        var watch = new WatchedStore.Watch();
        using var watched = NewHost(ownStore: true, configureServices: s => WatchedStore.Decorate(s, watch));
        var closing = 0;
        watch.BeforeSubmit = async (table, batch) =>
        {
            // The write that closes the request waits for two polls of the outbox: a settlement already due would run
            // in between, find the request still waiting, and be dropped.
            if (table != Tables.Approvals || !batch.Any(o => o.Entity.GetBool("unreachable"))) return;
            Interlocked.Increment(ref closing);
            await watched.RunOutboxAsync(2);
        };
        connector.NotInstalledFor[Activities.MeganAad] = true;
        await watched.ExchangeAsync(connector.AsAlex("hello"));

        await watched.ExchangeAsync(connector.AsAlex("credit $150 to ACME-1042 for late delivery"));

        await QuietAsync(watched, () => TextsToAlex("could not reach anyone who can approve it").Count > 0, "Alex to be told nobody could be reached");
        Assert.True(closing >= 1);
        Assert.Single(TextsToAlex("could not reach anyone who can approve it"));
    }

    [Fact]
    public async Task When_one_of_two_approvers_is_reachable_the_request_waits_for_her()
    {
        using var both = NewHost(new()
        {
            ["Organization:Teams:0:Members:2:Id"] = "aad:00000000-0000-0000-0000-0000000000022",
            ["Organization:Teams:0:Members:2:Name"] = "Lee Gu",
            ["Organization:Teams:0:Members:2:Role"] = "Manager",
        }, ownStore: true);
        connector.NotInstalledFor["00000000-0000-0000-0000-0000000000022"] = true;
        await both.PostAsync(connector.AsMegan("hello"));

        await both.ExchangeAsync(connector.AsAlex("credit $150 to ACME-1042 for late delivery"));

        await CardToMeganAsync(connector, "ACME-1042");
        await QuietAsync(both, () => connector.Calls.Any(c => c.Method == "POST" && c.Path.TrimEnd('/') == "/v3/conversations" && c.Body.GetRawText().Contains("0022")),
            "the attempt to reach Lee");
        var store = both.Services.GetRequiredService<ApprovalStore>();
        Assert.True(Assert.Single(await store.ListAsync(Activities.Tenant, _ => true, CancellationToken.None)).IsPending);
        Assert.Empty(TextsToAlex("could not reach"));
    }
}
