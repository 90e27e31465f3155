using EmpowerBot.Storage;
using EmpowerBot.Tests.Fixtures;

namespace EmpowerBot.Tests.Storage;

/// <summary>The shared read every credit makes of the organisation's version: never older than the caller's question.</summary>
public sealed class FreshReadTests
{
    /// <summary>A read that counts its starts and finishes only when the test lets it, with the number it started as.</summary>
    private sealed class HeldReads
    {
        private readonly List<TaskCompletionSource> gates = [];
        private int started;

        public int Started => Volatile.Read(ref started);

        public async Task<int> ReadAsync(CancellationToken ct)
        {
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            int number;
            lock (gates)
            {
                gates.Add(gate);
                number = ++started;
            }
            await gate.Task;
            return number;
        }

        public void Finish(int number)
        {
            lock (gates) gates[number - 1].SetResult();
        }

        public void Fail(int number, Exception e)
        {
            lock (gates) gates[number - 1].SetException(e);
        }
    }

    [Fact]
    public async Task A_caller_who_asks_while_a_read_runs_gets_the_next_read_and_callers_asking_together_share_it()
    {
        var reads = new HeldReads();
        var fresh = new FreshRead<int>(reads.ReadAsync);

        var first = fresh.GetAsync(CancellationToken.None);
        Assert.Equal(1, reads.Started);
        var second = fresh.GetAsync(CancellationToken.None); // the first read may have read before this question
        var third = fresh.GetAsync(CancellationToken.None);
        Assert.Equal(1, reads.Started);

        reads.Finish(1);
        Assert.Equal(1, await first);
        await Eventually.UntilAsync(() => reads.Started == 2, "the next read to start for those who asked during the first");
        var fourth = fresh.GetAsync(CancellationToken.None); // asked during read 2: served by read 3
        reads.Finish(2);
        Assert.Equal(2, await second);
        Assert.Equal(2, await third);
        await Eventually.UntilAsync(() => reads.Started == 3, "a third read for the caller who asked during the second");
        reads.Finish(3);
        Assert.Equal(3, await fourth);

        // Nobody waiting: the reader is idle, and the next caller starts a read at once.
        var fifth = fresh.GetAsync(CancellationToken.None);
        Assert.Equal(4, reads.Started);
        reads.Finish(4);
        Assert.Equal(4, await fifth);
    }

    [Fact]
    public async Task A_failed_read_fails_its_callers_only_and_the_next_caller_reads_again()
    {
        var reads = new HeldReads();
        var fresh = new FreshRead<int>(reads.ReadAsync);

        var first = fresh.GetAsync(CancellationToken.None);
        reads.Fail(1, new StorageUnavailableException("storage down", null));
        await Assert.ThrowsAsync<StorageUnavailableException>(() => first);

        var second = fresh.GetAsync(CancellationToken.None);
        await Eventually.UntilAsync(() => reads.Started == 2, "a new read after the failed one");
        reads.Finish(2);
        Assert.Equal(2, await second);
    }

    [Fact]
    public async Task A_caller_that_stops_waiting_does_not_cancel_the_read_the_others_wait_for()
    {
        var reads = new HeldReads();
        var fresh = new FreshRead<int>(reads.ReadAsync);
        using var impatient = new CancellationTokenSource();

        var patient = fresh.GetAsync(CancellationToken.None);
        var leaving = fresh.GetAsync(impatient.Token);
        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => leaving);

        reads.Finish(1);
        Assert.Equal(1, await patient);
    }
}
