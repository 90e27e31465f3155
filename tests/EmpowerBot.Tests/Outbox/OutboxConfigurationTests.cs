using System.Net;
using System.Text.Json;
using EmpowerBot.Outbox;
using EmpowerBot.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Tests.Outbox;

/// <summary>Start-up validation, the billing webhook switched off, and health when storage is gone.</summary>
public sealed class OutboxConfigurationTests
{
    [Theory]
    [InlineData("Outbox:Shards", "0", "Outbox:Shards")]
    [InlineData("Outbox:MaxAge", "00:00:10", "Outbox:MaxAge")]
    [InlineData("Outbox:MaxConcurrency", "0", "Outbox:MaxConcurrency")]
    [InlineData("Billing:WebhookUrl", "https://billing.example/hooks", "Billing:SigningSecret")]
    [InlineData("Billing:WebhookUrl", "http://billing.example/hooks", "Billing:WebhookUrl")]
    public void A_bad_setting_stops_start_up_with_its_name(string key, string value, string named)
    {
        var error = Assert.IsType<OptionsValidationException>(BotHost.StartFailure(new() { [key] = value }));

        Assert.Contains(named, error.Message);
    }

    [Fact]
    public async Task A_billing_event_is_dropped_when_no_webhook_is_configured()
    {
        using var bot = OutboxTestKit.Start();
        await bot.Writer().EnqueueAsync(BillingWebhookHandler.Message("credit-1", new { creditId = "credit-1" }, bot.Clock.GetUtcNow()), CancellationToken.None);

        await Eventually.UntilAsync(() => bot.OutboxEmptyAsync(), "the event to leave the outbox");
    }

    [Fact]
    public async Task A_disabled_dispatcher_leaves_messages_for_another_instance()
    {
        var handler = new RecordingHandler();
        using var bot = OutboxTestKit.Start(new() { ["Outbox:Enabled"] = "false" }, handlers: handler);

        await bot.EnqueueAsync("note-1");

        // Its loop has ended, so nothing will ever deliver here.
        var loop = bot.Services.GetRequiredService<OutboxDispatcher>().ExecuteTask!;
        await loop.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(loop.IsCompletedSuccessfully);
        Assert.Single(await bot.OutboxRowsAsync());
        Assert.Empty(handler.Attempts);
    }

    [Fact]
    public async Task Healthz_is_unhealthy_when_storage_is_unreachable()
    {
        // On SQLite whatever the run's backend: disposing the store is how this test makes it unreachable.
        using var bot = OutboxTestKit.Start(new() { ["Storage:Provider"] = "Sqlite" });
        await ((IAsyncDisposable)bot.Store).DisposeAsync();

        using var response = await bot.CreateClient().GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Unhealthy", health.GetProperty("status").GetString());
    }

    [Fact]
    public void The_shipped_settings_match_the_documented_defaults()
    {
        using var bot = new BotHost();
        var outbox = bot.Services.GetRequiredService<IOptions<OutboxOptions>>().Value;
        var billing = bot.Services.GetRequiredService<IOptions<BillingOptions>>().Value;

        Assert.Equal((true, 4, TimeSpan.FromSeconds(20), TimeSpan.FromHours(24), 8),
            (outbox.Enabled, outbox.Shards, outbox.LeaseDuration, outbox.MaxAge, outbox.MaxConcurrency));
        Assert.Equal((TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(10)), (outbox.RetryBaseDelay, outbox.RetryMaxDelay));
        Assert.Equal(("", ""), (billing.WebhookUrl, billing.SigningSecret));
    }
}
