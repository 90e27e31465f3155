using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Channels.Slack;

/// <summary>
/// Runs acknowledged Slack requests in the background, one lane per worker; a person's requests stay in order on
/// their lane. On shutdown no new request is taken (Slack is answered 503 and retries) and what was already
/// acknowledged is finished, until the host's shutdown timeout.
/// </summary>
public sealed class SlackWorker(SlackInbox inbox, SlackTurns turns, SlackJournal journal, IOptions<SlackOptions> options, ILogger<SlackWorker> log)
    : BackgroundService
{
    // Cancelled only when the host gives up waiting on shutdown. Never disposed: the host may stop this service after
    // disposing it (a failed start), and a CancellationTokenSource without a timer holds nothing to release.
    private readonly CancellationTokenSource abort = new();

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            log.LogInformation("Slack is off: Slack__SigningSecret and Slack__BotToken are not set, so /api/slack/* answer 404");
            return Task.CompletedTask;
        }
        return Task.WhenAll(Enumerable.Range(0, inbox.LaneCount).Select(i => Task.Run(() => RunLaneAsync(inbox.Lane(i), stoppingToken), CancellationToken.None)));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        inbox.Complete();
        using var giveUp = cancellationToken.Register(abort.Cancel);
        await base.StopAsync(cancellationToken);
    }

    private async Task RunLaneAsync(ChannelReader<SlackInbound> lane, CancellationToken stopping)
    {
        try
        {
            await foreach (var inbound in lane.ReadAllAsync(abort.Token))
            {
                var cutShort = false;
                try
                {
                    await turns.RunAsync(inbound, abort.Token);
                }
                catch (Exception e) when (e is not OperationCanceledException || !abort.IsCancellationRequested)
                {
                    // Failing while the host stops is most likely the stop's doing (its services disposed under the
                    // turn, a credit applied but its answer never sent): such a request is run again, not forgotten.
                    cutShort = stopping.IsCancellationRequested;
                    log.LogError(e, "Slack {Kind} {ActivityId} of {Person} failed{WhileStopping}", inbound.Kind, inbound.ActivityId, inbound.PersonKey,
                        cutShort ? " while stopping; its journal entry stays and runs it again later" : "");
                }
                // Run, or failed and logged: its journal entry goes. Cut short by a stop, it stays and is run again later.
                inbox.Finished(inbound.ActivityId);
                if (!cutShort) await journal.DoneAsync(inbound, abort.Token);
            }
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            log.LogWarning("Slack worker stopped with requests still queued; their journal entries run them later");
        }
    }
}
