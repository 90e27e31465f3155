using System.Collections.Concurrent;
using EmpowerBot.Conversation;
using EmpowerBot.Tests.Fixtures;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace EmpowerBot.Tests.Conversation;

public sealed class TurnObserverTests
{
    private sealed class Recording : ITurnObserver
    {
        public ConcurrentQueue<(TurnKind Kind, string Person, int Replies)> Seen { get; } = new();

        public Task OnTurnAsync(TurnContext context, TurnResult result, CancellationToken ct)
        {
            Seen.Enqueue((context.Turn.Kind, context.Person.Key, result.Replies.Count));
            return Task.CompletedTask;
        }
    }

    private sealed class Failing : ITurnObserver
    {
        public Task OnTurnAsync(TurnContext context, TurnResult result, CancellationToken ct) => throw new InvalidOperationException("observer broke");
    }

    /// <summary>The channel stops waiting while the turn is being observed: the connection is dropped under it.</summary>
    private sealed class ClientGoesAway(IHttpContextAccessor http) : ITurnObserver
    {
        public Task OnTurnAsync(TurnContext context, TurnResult result, CancellationToken ct)
        {
            http.HttpContext!.Abort();
            return Task.CompletedTask;
        }
    }

    /// <summary>Records only what it could have stored: a storage call gives up on a cancelled token.</summary>
    private sealed class Storing : ITurnObserver
    {
        public TaskCompletionSource<TurnKind> Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task OnTurnAsync(TurnContext context, TurnResult result, CancellationToken ct)
        {
            await Task.Yield();
            ct.ThrowIfCancellationRequested();
            Stored.TrySetResult(context.Turn.Kind);
        }
    }

    [Fact]
    public async Task A_turn_whose_channel_stops_waiting_is_still_observed_in_full()
    {
        var storing = new Storing();
        using var bot = new BotHost(configureServices: s =>
        {
            s.AddHttpContextAccessor();
            s.AddSingleton<ITurnObserver, ClientGoesAway>();
            s.AddSingleton<ITurnObserver>(storing);
        });

        await Assert.ThrowsAnyAsync<Exception>(() => bot.PostAsync(Activities.Message("budget")));

        Assert.Equal(TurnKind.Message, await storing.Stored.Task.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Observers_see_message_and_card_action_turns_with_their_result_but_not_installs()
    {
        var recording = new Recording();
        using var bot = new BotHost(configureServices: s => s.AddSingleton<ITurnObserver>(recording));

        await bot.ExchangeAsync(Activities.Install());
        await bot.ExchangeAsync(Activities.Message("help"));
        await bot.ExchangeAsync(Activities.Invoke("budget", new { }));

        Assert.Equal(
            [(TurnKind.Message, "aad:" + Activities.AlexAad, 1), (TurnKind.CardAction, "aad:" + Activities.AlexAad, 0)],
            recording.Seen.ToArray());
    }

    [Fact]
    public async Task A_failing_observer_never_fails_the_turn_and_the_others_still_run()
    {
        var recording = new Recording();
        using var bot = new BotHost(configureServices: s =>
        {
            s.AddSingleton<ITurnObserver, Failing>();
            s.AddSingleton<ITurnObserver>(recording);
        });

        var replies = await bot.ExchangeAsync(Activities.Message("budget"));

        Assert.Contains("$200.00", replies.Everything());
        Assert.Single(recording.Seen);
    }
}
