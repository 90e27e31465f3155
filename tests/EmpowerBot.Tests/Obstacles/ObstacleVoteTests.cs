using EmpowerBot.Obstacles;
using EmpowerBot.Storage;
using EmpowerBot.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace EmpowerBot.Tests.Obstacles;

/// <summary>One vote per person per obstacle, and the count always equal to the vote rows, whatever the concurrency.</summary>
public sealed class ObstacleVoteTests : IAsyncLifetime
{
    private readonly BotHost bot = new();

    public async Task InitializeAsync() => await bot.SayAsync("obstacle couriers keep missing the booked delivery slot", Someone.Colleague(99));

    public Task DisposeAsync()
    {
        bot.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Thirty_two_concurrent_votes_from_thirty_two_people_count_thirty_two_plus_the_submitter()
    {
        var answers = await Task.WhenAll(Enumerable.Range(100, 32).Select(n => bot.ClickAsync("obstacle.vote", new { id = 1 }, Someone.Colleague(n))));

        Assert.All(answers, a => Assert.Contains("You backed #1", a.Shown()));
        Assert.Equal(33, (await bot.ObstacleAsync(1)).Votes);
        Assert.Equal(33, (await bot.VoteRowsAsync(1)).Count);
    }

    [Fact]
    public async Task Thirty_two_concurrent_votes_from_one_person_count_once()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => bot.ClickAsync("obstacle.vote", new { id = 1 })));

        Assert.Single(answers, a => a.Shown().Contains("You backed #1", StringComparison.Ordinal));
        Assert.Equal(31, answers.Count(a => a.Shown().Contains("You already backed #1", StringComparison.Ordinal)));
        Assert.Equal(2, (await bot.ObstacleAsync(1)).Votes);
        Assert.Equal(2, (await bot.VoteRowsAsync(1)).Count);
    }

    [Fact]
    public async Task Two_instances_voting_at_once_on_one_store_still_count_every_person_once()
    {
        // Each ObstacleVotes has its own lock stripes, as two bot instances would: only the ETags keep them apart.
        var store = bot.Services.GetRequiredService<ITableStore>();
        ObstacleVotes Instance() => new(store, new ObstacleChanges(store, NullLogger<ObstacleChanges>.Instance), new StripedLock(), TimeProvider.System, NullLogger<ObstacleVotes>.Instance);
        var instances = new[] { Instance(), Instance() };

        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(i =>
            instances[i % 2].BackAsync(Activities.Tenant, 1, $"aad:person-{i / 2}", "demo", CancellationToken.None)));

        Assert.Equal(32, results.Count(r => r.Outcome == VoteOutcome.Backed));
        Assert.Equal(32, results.Count(r => r.Outcome == VoteOutcome.AlreadyBacked));
        Assert.Equal(33, (await bot.ObstacleAsync(1)).Votes);
        Assert.Equal(33, (await bot.VoteRowsAsync(1)).Count);
    }
}
