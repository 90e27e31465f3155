using EmpowerBot.Tests.Fixtures;
using static EmpowerBot.Tests.Approvals.ApprovalTestKit;

namespace EmpowerBot.Tests.Approvals;

/// <summary>Two bot instances on one Azure Table Storage (Azurite): clicks on either, one settlement between them.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ApprovalsOnTwoHostsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private FakeConnector connector = null!;

    public async Task InitializeAsync() => connector = await FakeConnector.StartAsync();

    public async Task DisposeAsync() => await connector.DisposeAsync();

    [Fact]
    public async Task Approve_and_decline_racing_on_two_instances_tell_the_rep_once_and_update_the_card_once()
    {
        var shared = TestStorage.AzureTables(azurite.ConnectionString, TestStorage.NewTablePrefix());
        using var first = new BotHost(shared);
        using var second = new BotHost(shared, first.Clock);
        _ = second.Services; // its outbox dispatcher competes for the settlement's messages too

        foreach (var customer in new[] { "ACME-1042", "ACME-2042", "ACME-3042" })
        {
            var id = await RequestExceptionAsync(first, connector, customer);

            await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
                ClickAsync(i % 2 == 0 ? first : second, connector, i % 4 < 2 ? "approval.approve" : "approval.decline", new { approvalId = id, comment = "Offer a replacement" })));

            Func<bool> told = () => OutcomesToAlex(connector, customer).Count > 0 && UpdatesOf(connector, MeganChat, customer) > 0;
            await QuietAsync(first, told, $"the outcome for {customer}");
            await QuietAsync(second, told, $"the outcome for {customer}");
            Assert.Single(OutcomesToAlex(connector, customer));
            Assert.Equal(1, UpdatesOf(connector, MeganChat, customer));
        }
    }
}
