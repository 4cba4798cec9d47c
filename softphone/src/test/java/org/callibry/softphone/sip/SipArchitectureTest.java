package org.callibry.softphone.sip;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The user agent stays below the UI and beside the audio engine. */
class SipArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.callibry.softphone");

    @Test
    void userAgentHasNoJavaFx() {
        noClasses().that().resideInAPackage("org.callibry.softphone.sip..")
                .should().dependOnClassesThat().resideInAPackage("javafx..")
                .because("view models wrap the user agent; it must run (and be tested) without a UI")
                .check(CLASSES);
    }

    @Test
    void userAgentDoesNotReachIntoTheAudioEngine() {
        noClasses().that().resideInAPackage("org.callibry.softphone.sip..")
                .should().dependOnClassesThat().resideInAPackage("org.callibry.softphone.audio..")
                .because("the audio engine reads CallMedia and takes RtpPorts; signaling does not know audio")
                .allowEmptyShould(true)
                .check(CLASSES);
    }
}
