package dev.verdant.spark;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.JobSucceeded$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;

/**
 * The driver-side listener: it records, for every task that ends (succeeded or not), its executor CPU time under
 * its executor and stage, and which stages each job listed, into the {@link EnergyLedger}. At each job's end it
 * calls back, so the driver can write its energy so far.
 */
final class StageCpuListener extends SparkListener {

    private final EnergyLedger ledger;
    private final Runnable onJobEnd;

    StageCpuListener(EnergyLedger ledger, Runnable onJobEnd) {
        this.ledger = ledger;
        this.onJobEnd = onJobEnd;
    }

    @Override
    public void onExecutorAdded(SparkListenerExecutorAdded added) {
        ledger.executorSeen(added.executorId(), added.executorInfo().executorHost());
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        TaskMetrics metrics = end.taskMetrics();
        ledger.taskEnded(end.taskInfo().executorId(), end.taskInfo().host(), end.stageId(),
                metrics == null ? 0 : metrics.executorCpuTime());
    }

    @Override
    public void onJobStart(SparkListenerJobStart start) {
        Map<Integer, String> stages = new LinkedHashMap<>();
        for (StageInfo stage : scala.jdk.javaapi.CollectionConverters.asJava(start.stageInfos())) {
            stages.put(stage.stageId(), stage.name());
        }
        ledger.jobStarted(start.jobId(), stages);
    }

    @Override
    public void onJobEnd(SparkListenerJobEnd end) {
        ledger.jobEnded(end.jobId(), end.jobResult() == JobSucceeded$.MODULE$);
        onJobEnd.run();
    }
}
