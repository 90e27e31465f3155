using EmpowerBot.Tests.Fixtures;
using EmpowerBot.Tests.Outbox;
using Microsoft.Extensions.Time.Testing;

namespace EmpowerBot.Tests.QuietTime;

/// <summary>A break outlives the process that started it: its end is in the durable outbox, not in memory.</summary>
public sealed class BreakRestartTests : IAsyncLifetime
{
    private readonly string dataDir = Path.Combine(Path.GetTempPath(), "empowerbot-tests", Guid.NewGuid().ToString("N"));
    private FakeConnector connector = null!;

    public async Task InitializeAsync() => connector = await FakeConnector.StartAsync();

    public async Task DisposeAsync()
    {
        await connector.DisposeAsync();
        try { Directory.Delete(dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Fact]
    public async Task Restarting_mid_break_still_ends_it_on_time_with_welcome_back_and_frees_the_slot()
    {
        var clock = new FakeTimeProvider(QuietBot.MondayTenAm);
        var settings = new Dictionary<string, string?> { ["Storage:SqlitePath"] = Path.Combine(dataDir, "bot.db") };
        await using (var first = await QuietBot.StartAsync(reps: 3, settings, clock, connector))
        {
            Assert.Contains("It ends at 10:10 AM", await first.SayAsync(1, "break"));
            Assert.Equal(1, await first.OnBreakAsync());
            await first.SettledAsync();
        }

        clock.Advance(TimeSpan.FromMinutes(4));
        await using (var second = await QuietBot.StartAsync(reps: 3, settings, clock, connector))
        {
            Assert.Contains("already on a quiet break until 10:10 AM", await second.SayAsync(1, "break"));
            await second.AdvanceAsync(TimeSpan.FromMinutes(6));

            Assert.Contains("Welcome back, Priya!", await second.WaitForAsync(1, "Welcome back"));
            await Eventually.UntilAsync(async () => await second.OnBreakAsync() == 0, "the slot to be freed");
            Assert.Null((await second.StateAsync(1)).BreakId);
            await second.SettledAsync();
            Assert.Single(second.SentTo(1));
        }
    }
}
