using EmpowerBot.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EmpowerBot.Tests.Hosting;

/// <summary>
/// With the shipped "Logging" levels, a turn writes at most one line at Information or above: what was done. A busy
/// contact centre makes hundreds of thousands of turns a day, and per-request lines of the web host or the HTTP
/// client at Information would multiply the log several times over.
/// </summary>
public sealed class TurnLoggingTests : IDisposable
{
    private readonly LogRecorder logs = new();
    private readonly BotHost bot;

    public TurnLoggingTests()
    {
        // No outbox deliveries in the background: every line recorded during a turn is the turn's own.
        bot = new BotHost(new() { ["Outbox:Enabled"] = "false" }, configureServices: logs.AddAsConfiguredTo);
        _ = bot.Services;
    }

    public void Dispose() => bot.Dispose();

    [Theory]
    [InlineData("budget")]
    [InlineData("help")]
    [InlineData("credit $25 to ACME-1 for late delivery")]
    [InlineData("credit $150 to ACME-2 for late delivery")]
    [InlineData("credit $25 to ACME-3 in cash")]
    [InlineData("can I give ACME-4 $40 for a missing item?")]
    [InlineData("history")]
    [InlineData("obstacle the refund tool logs me out every ten minutes")]
    [InlineData("kudos to Megan for covering my queue")]
    [InlineData("what is the meaning of life")]
    public async Task A_turn_writes_at_most_one_line_at_information(string text)
    {
        await bot.ExchangeAsync(Activities.Message("hello"));
        var before = logs.Records.Count;

        await bot.ExchangeAsync(Activities.Message(text));

        var lines = logs.Records.Skip(before).Where(r => r.Level >= LogLevel.Information).ToList();
        Assert.True(lines.Count <= 1, $"{lines.Count} lines: {string.Join(" | ", lines.Select(l => $"{l.Category}: {l.Message}"))}");
    }

    [Fact]
    public async Task A_manager_setting_an_obstacle_status_writes_one_line()
    {
        await bot.ExchangeAsync(Activities.Message("obstacle the refund tool logs me out every ten minutes"));
        var before = logs.Records.Count;

        await bot.ExchangeAsync(Activities.Message("obstacle 1 fixed new session timeout", user: "user-id-1", name: "Megan Bowen", aad: Activities.MeganAad));

        var lines = logs.Records.Skip(before).Where(r => r.Level >= LogLevel.Information).ToList();
        Assert.True(lines.Count <= 1, $"{lines.Count} lines: {string.Join(" | ", lines.Select(l => $"{l.Category}: {l.Message}"))}");
    }
}
