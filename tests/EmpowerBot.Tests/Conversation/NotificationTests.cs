using EmpowerBot.Conversation;
using EmpowerBot.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace EmpowerBot.Tests.Conversation;

public sealed class NotificationTests : IAsyncLifetime
{
    private readonly BotHost bot = new();
    private FakeConnector connector = null!;

    public async Task InitializeAsync() => connector = await FakeConnector.StartAsync();

    public async Task DisposeAsync()
    {
        bot.Dispose();
        await connector.DisposeAsync();
    }

    private Task NotifyAsync(string id, string personKey, string text) =>
        bot.Services.GetRequiredService<Notifier>().SendAsync(id, Notification.Of(Activities.Tenant, personKey, Reply.Say(text)), default);

    [Fact]
    public async Task A_person_who_chatted_before_is_messaged_in_their_conversation()
    {
        await bot.PostAsync(Activities.Message("budget", connector.ServiceUrl));
        connector.Clear();

        await NotifyAsync("n1", "aad:" + Activities.AlexAad, "Your credit was approved");

        var posted = await connector.WaitForPostedAsync(1);
        var call = Assert.Single(connector.Calls);
        Assert.EndsWith($"/v3/conversations/{Activities.ConversationId}-0020/activities", call.Path);
        Assert.Equal("Your credit was approved", posted[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Someone_who_never_chatted_gets_a_new_one_to_one_conversation()
    {
        await bot.PostAsync(Activities.Message("budget", connector.ServiceUrl));
        connector.Clear();

        await NotifyAsync("n2", "aad:" + Activities.MeganAad, "An approval is waiting for you");

        await connector.WaitForPostedAsync(1);
        var create = connector.Calls[0];
        Assert.Equal("/v3/conversations", create.Path);
        Assert.Equal("user-id-1", create.Body.GetProperty("members")[0].GetProperty("id").GetString());
        Assert.Equal(Activities.MeganAad, create.Body.GetProperty("members")[0].GetProperty("aadObjectId").GetString());
        Assert.Equal(Activities.Tenant, create.Body.GetProperty("tenantId").GetString());
        Assert.Equal("An approval is waiting for you", connector.Posted.Last().GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_notification_survives_a_connector_outage()
    {
        await bot.PostAsync(Activities.Message("budget", connector.ServiceUrl));
        connector.Clear();
        // More failures than one delivery attempt retries (5 calls): the outbox has to try again later.
        connector.FailNext(7, System.Net.HttpStatusCode.ServiceUnavailable);
        var before = connector.Attempts;

        await NotifyAsync("n3", "aad:" + Activities.AlexAad, "Still here");
        await Eventually.UntilAsync(() =>
        {
            bot.Clock.Advance(TimeSpan.FromSeconds(1)); // walk business time past the outbox's backoff
            return connector.Posted.Count > 0;
        }, "the notification after the outage");

        Assert.Equal("Still here", Assert.Single(connector.Posted).GetProperty("text").GetString());
        Assert.Equal(8, connector.Attempts - before);
    }
}
